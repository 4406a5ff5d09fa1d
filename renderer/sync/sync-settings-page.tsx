import { Body1, Button, MessageBar, MessageBarBody, Spinner, Title1, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { TargetSyncSettings } from '../../shared/contract/targets';
import { syncPolicySchema, type SyncPolicy } from '../../shared/sync';
import { call, type ApiError } from '../api/client';
import { useLeaveGuard } from '../app/leave-guard';
import type { PageProps } from '../app/page-ids';
import { ErrorHelp } from './error-help';
import { NameRulesCard, nameRuleErrors } from './name-rules-card';
import { HistoryCard, LeaverCards, PolicyScopeCards } from './policy-cards';
import { useTargets } from '../settings/targets/use-targets';
import { parseSafetyDraft, SafetyLimitsCard, safetyDraftOf, type SafetyDraft } from './safety-limits';
import { globalScope, protectedGroupNames, SettingsForPicker, TargetRulesCard, type TargetRulesDraft } from './target-sync-scope';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '860px' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
});

const rulesDraftOf = (t: TargetSyncSettings): TargetRulesDraft => ({
  inherit: t.inherit,
  matchByEmail: t.matchByEmail,
  protectedGroups: t.protectedGroups.join('\n'),
  deleteVanishedGroups: t.deleteVanishedGroups,
});

/**
 * Sync settings: which users and groups, how names are mapped, what happens to leavers, and the safety brake — the
 * global ones every target inherits, or one target's own (with its matching and protected groups).
 */
export function SyncSettingsPage(props: PageProps) {
  const styles = useStyles();
  const { list: targets } = useTargets();
  const [scope, setScope] = useState(props.params.target ?? globalScope);
  const [target, setTarget] = useState<TargetSyncSettings>();
  const [rules, setRules] = useState<TargetRulesDraft>();
  const [policy, setPolicy] = useState<SyncPolicy>();
  const [safety, setSafety] = useState<SafetyDraft>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saveError, setSaveError] = useState<{ code: string; message: string }>();
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  // The form as last loaded or saved: anything else is an unsaved change, asked about before leaving the page.
  const [baseline, setBaseline] = useState<string>();
  const [clean, setClean] = useState<{ p: SyncPolicy; s: SafetyDraft; r?: TargetRulesDraft }>();
  const formKey = (p: SyncPolicy | undefined, s: SafetyDraft | undefined, r?: TargetRulesDraft) => JSON.stringify({ p, s, r });
  const dirty = baseline !== undefined && formKey(policy, safety, rules) !== baseline;
  const forTarget = scope !== globalScope;
  const ownPolicy = !forTarget || (rules !== undefined && !rules.inherit);

  /** Shows what was loaded or saved as the form's clean state. */
  const show = (p: SyncPolicy, t?: TargetSyncSettings) => {
    const draft = safetyDraftOf(p.safety);
    const r = t ? rulesDraftOf(t) : undefined;
    setPolicy(p);
    setSafety(draft);
    setTarget(t);
    setRules(r);
    setBaseline(formKey(p, draft, r));
    setClean({ p, s: draft, r });
  };

  /** "Discard changes": the form as last loaded or saved again. */
  const discard = () => {
    if (!clean) return;
    setPolicy(clean.p);
    setSafety(clean.s);
    setRules(clean.r);
    setErrors({});
    setSaveError(undefined);
    setSaved(false);
  };

  /** The policy the form describes, or field errors. */
  const build = (): { policy?: SyncPolicy; errors: Record<string, string> } => {
    if (!policy || !safety) return { errors: {} };
    const usesRequiredGroups = policy.users.scope === 'requiredGroups' || policy.groups.scope === 'requiredGroups';
    const limits = parseSafetyDraft(safety);
    const found: Record<string, string> = Object.fromEntries(
      Object.entries(limits.errors).map(([key, message]) => [`safety.${key}`, message]),
    );
    if (usesRequiredGroups && policy.users.requiredGroupIds.length === 0) found.requiredGroups = 'Pick at least one group.';
    if (policy.groups.scope === 'namePattern' && !policy.groups.namePattern.trim())
      found.namePattern = 'Enter a pattern such as jira-*, confluence-*.';
    for (const [id, message] of Object.entries(nameRuleErrors(policy.names))) found[`names.${id}`] = message;
    const candidate = {
      ...policy,
      safety: limits.safety ?? policy.safety,
    };
    const parsed = syncPolicySchema.safeParse(candidate);
    if (!parsed.success && Object.keys(found).length === 0)
      found.form = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return Object.keys(found).length || !parsed.success ? { errors: found } : { policy: parsed.data, errors: {} };
  };

  /** Saves the form; true once stored. */
  const save = async (): Promise<boolean> => {
    const result = ownPolicy ? build() : { policy, errors: {} };
    setErrors(result.errors);
    if (!result.policy) return false;
    setSaving(true);
    try {
      if (forTarget && rules) {
        const stored = await call('targets:saveSync', {
          id: scope,
          inherit: rules.inherit,
          ...(rules.inherit ? {} : { policy: result.policy }),
          matchByEmail: rules.matchByEmail,
          protectedGroups: protectedGroupNames(rules.protectedGroups),
          deleteVanishedGroups: rules.deleteVanishedGroups,
        });
        show(stored.policy, stored);
      } else show(await call('sync:savePolicy', { policy: result.policy }));
      setSaveError(undefined);
      setSaved(true);
      return true;
    } catch (e) {
      const error = e as ApiError;
      setSaveError({ code: error.code, message: error.message });
      return false;
    } finally {
      setSaving(false);
    }
  };

  // Leaving the page with unsaved changes asks first (Save / Discard / Stay); closing the window warns.
  const release = useLeaveGuard(dirty, save);

  useEffect(() => {
    const loaded =
      scope === globalScope
        ? call('sync:getPolicy', undefined).then((p) => show(p))
        : call('targets:getSync', { id: scope }).then((t) => show(t.policy, t));
    loaded.catch((e: ApiError) => setSaveError({ code: e.code, message: e.message }));
    // `show` only sets state; the form loads again when the scope changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scope]);

  if (!policy || !safety) {
    return saveError ? (
      <ErrorHelp title="The sync settings could not be loaded" error={saveError} />
    ) : (
      <Spinner label="Loading…" />
    );
  }

  const edit = <K extends keyof SyncPolicy>(section: K, patch: Partial<SyncPolicy[K]>) => {
    setSaved(false);
    setPolicy({ ...policy, [section]: { ...(policy[section] as object), ...patch } } as SyncPolicy);
  };

  /** Saves what the form shows, then opens Plan preview running a new dry run on it (never an older plan). */
  const previewEffect = async () => {
    if (!(await save())) return;
    // Saved: nothing left to ask about, although the page has not yet rendered its saved state.
    release();
    props.navigate('sync-plan', { dryRun: 'start', ...(forTarget ? { target: scope } : {}) });
  };

  return (
    <>
      <header className={styles.header}>
        <Title1 as="h1">Sync settings</Title1>
        <Body1>
          Decide what the sync reads from Entra ID and what it may change. Check the effect with a dry run before the next sync.
        </Body1>
        {targets && (
          <SettingsForPicker
            targets={targets.targets}
            value={scope}
            disabled={dirty}
            onChange={(next) => {
              setSaved(false);
              setErrors({});
              setScope(next);
            }}
          />
        )}
      </header>
      <form
        className={styles.form}
        // The fields say what is wrong in Fluent's own messages (see build), not in the browser's validation bubble.
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {forTarget && target && rules && (
          <TargetRulesCard
            name={target.name}
            product={target.product}
            adminGroups={target.adminGroups}
            draft={rules}
            onChange={(next) => {
              setSaved(false);
              setRules(next);
            }}
          />
        )}
        {ownPolicy && (
          <>
            <PolicyScopeCards policy={policy} edit={edit} errors={errors} />

            <NameRulesCard
              names={policy.names}
              onChange={(names) => {
                setSaved(false);
                setPolicy({ ...policy, names });
              }}
            />

            <LeaverCards policy={policy} edit={edit} forTarget={forTarget} />

            <SafetyLimitsCard
              draft={safety}
              onChange={(draft) => {
                setSaved(false);
                setSafety(draft);
              }}
              errors={Object.fromEntries(
                Object.entries(errors)
                  .filter(([key]) => key.startsWith('safety.'))
                  .map(([key, message]) => [key.slice('safety.'.length), message]),
              )}
            />

            <HistoryCard
              policy={policy}
              edit={edit}
              setPolicy={(next) => {
                setSaved(false);
                setPolicy(next);
              }}
            />
          </>
        )}
        {errors.form && (
          <ErrorHelp title="These settings are not valid" error={{ code: 'invalid-policy', message: errors.form }} />
        )}
        {saveError && <ErrorHelp title="The settings could not be saved" error={saveError} />}
        {Object.keys(errors).length > 0 && !errors.form && (
          <MessageBar intent="error">
            <MessageBarBody>Some values need a fix: see the fields marked in red.</MessageBarBody>
          </MessageBar>
        )}
        {saved && (
          <MessageBar intent="success">
            <MessageBarBody>Saved. The next sync uses these settings.</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={saving}>
            Save settings
          </Button>
          <Button disabled={saving} onClick={() => void previewEffect()}>
            Preview the effect with a dry run
          </Button>
          {dirty && (
            <Button appearance="subtle" disabled={saving} onClick={discard}>
              Discard changes
            </Button>
          )}
        </div>
      </form>
    </>
  );
}
