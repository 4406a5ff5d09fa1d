import {
  Body1,
  Button,
  Caption1,
  Checkbox,
  Field,
  Input,
  Link,
  Spinner,
  Subtitle2,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PlugConnected20Regular, Save20Regular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type { TargetSummary, TargetTestReport } from '../../../shared/contract/targets';
import { targetUrlProblem } from '../../../shared/contract/targets';
import { call, type ApiError } from '../../api/client';
import { useSettingsStyles } from '../settings-styles';
import { TargetChecks, TargetError } from './target-checks';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0, maxWidth: '720px' },
  pem: { fontFamily: tokens.fontFamilyMonospace },
});

const pemStart = '-----BEGIN CERTIFICATE-----';

/**
 * Add or edit a Jira Data Center target: name, base URL (checked as it is typed), the personal access token (masked,
 * never shown again: editing keeps the stored one unless a new one is typed), an optional private CA certificate.
 * "Test connection" shows every check; Save is offered once the test of exactly these values passed, "Save anyway"
 * after a test that did not.
 */
export function JiraTargetForm(props: { existing?: TargetSummary; onDone: (saved?: TargetSummary) => void }) {
  const styles = useStyles();
  const settings = useSettingsStyles();
  const { existing } = props;
  const [name, setName] = useState(existing?.name ?? 'Jira');
  const [baseUrl, setBaseUrl] = useState(existing?.url ?? '');
  const [token, setToken] = useState('');
  const [useCa, setUseCa] = useState(existing?.hasCaCert ?? false);
  const [caPem, setCaPem] = useState('');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [report, setReport] = useState<TargetTestReport>();
  const [testedKey, setTestedKey] = useState<string>();
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  const [error, setError] = useState<ApiError>();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const keepsCa = existing?.hasCaCert === true && useCa && caPem.trim() === '';
  const caValue = !useCa ? null : keepsCa ? undefined : caPem;
  const key = JSON.stringify([baseUrl.trim(), token, caValue ?? null, keepsCa]);
  const problems = {
    name: name.trim() === '' ? 'Give the target a name, for example "Jira production".' : undefined,
    url: targetUrlProblem(baseUrl) ?? undefined,
    token:
      !existing && token.trim() === ''
        ? 'Paste the personal access token of a Jira administrator (Jira: your profile → Personal Access Tokens).'
        : undefined,
    ca:
      useCa && !keepsCa && !caPem.includes(pemStart)
        ? `Paste the CA certificate as PEM text, starting with ${pemStart}.`
        : undefined,
  };
  const valid = !problems.name && !problems.url && !problems.token && !problems.ca;
  const testedThese = report !== undefined && testedKey === key;
  const show = (field: keyof typeof problems) => (touched[field] ? problems[field] : undefined);

  const values = () => ({
    ...(existing ? { id: existing.id } : {}),
    baseUrl: baseUrl.trim(),
    ...(token.trim() ? { token: token.trim() } : {}),
    ...(caValue === undefined ? {} : { caCertPem: caValue }),
  });

  const test = async () => {
    setTouched({ name: true, url: true, token: true, ca: true });
    if (!valid) return;
    setBusy('test');
    setError(undefined);
    try {
      const done = await call('targets:test', values());
      setReport(done);
      setTestedKey(key);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(null);
    }
  };

  const save = async (saveAnyway: boolean) => {
    setBusy('save');
    setError(undefined);
    try {
      const result = await call('targets:save', { ...values(), name: name.trim(), saveAnyway });
      if (result.saved) props.onDone(result.target);
      else {
        setReport(result.report);
        setTestedKey(key);
      }
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(null);
    }
  };

  return (
    <form
      className={styles.form}
      aria-labelledby="target-form-heading"
      data-testid="target-form"
      onSubmit={(e) => {
        e.preventDefault();
        void test();
      }}
    >
      <Subtitle2 as="h3" id="target-form-heading" className={settings.title}>
        {existing ? `Edit ${existing.name}` : 'Add a Jira Data Center target'}
      </Subtitle2>
      <Body1>
        Users and groups from Entra ID are created, updated and deactivated in Jira Software or Jira Service Management Data
        Center 8.14 or later, through its REST API with a personal access token of a Jira administrator.
      </Body1>
      <Field label="Name" required validationMessage={show('name')}>
        <Input
          ref={first}
          value={name}
          onChange={(_, d) => setName(d.value)}
          onBlur={() => setTouched((t) => ({ ...t, name: true }))}
        />
      </Field>
      <Field
        label="Base URL"
        required
        hint="The address you open Jira with, with its context path: https://jira.example.com/jira"
        validationMessage={show('url')}
      >
        <Input
          type="url"
          value={baseUrl}
          placeholder="https://jira.example.com/jira"
          onChange={(_, d) => setBaseUrl(d.value)}
          onBlur={() => setTouched((t) => ({ ...t, url: true }))}
          data-testid="target-url"
        />
      </Field>
      <Field
        label="Personal access token"
        required={!existing}
        hint={
          existing
            ? `Stored: ${existing.tokenHint || 'a token'}. Leave empty to keep it, or paste a new one.`
            : "Jira: your profile → Personal Access Tokens. The token's user must be a Jira administrator."
        }
        validationMessage={show('token')}
      >
        <Input
          type="password"
          autoComplete="off"
          value={token}
          onChange={(_, d) => setToken(d.value)}
          onBlur={() => setTouched((t) => ({ ...t, token: true }))}
          data-testid="target-token"
        />
      </Field>
      <Checkbox
        checked={useCa}
        onChange={(_, d) => setUseCa(d.checked === true)}
        label="Jira's certificate is signed by a private certificate authority: trust its certificate for this target"
        data-testid="target-use-ca"
      />
      {useCa && (
        <Field
          label="CA certificate (PEM)"
          hint={keepsCa ? 'A certificate is stored. Leave empty to keep it, or paste another.' : 'Only this target trusts it.'}
          validationMessage={show('ca')}
        >
          <Textarea
            className={styles.pem}
            resize="vertical"
            rows={5}
            value={caPem}
            placeholder={pemStart}
            onChange={(_, d) => setCaPem(d.value)}
            onBlur={() => setTouched((t) => ({ ...t, ca: true }))}
            data-testid="target-ca"
          />
        </Field>
      )}
      {error && <TargetError title="That did not work" error={error} />}
      {report &&
        (testedThese ? (
          <TargetChecks report={report} />
        ) : (
          <Caption1>The values changed since the last test: test them again.</Caption1>
        ))}
      <div className={settings.actions}>
        <Button
          type="submit"
          appearance={testedThese && report?.ok ? 'secondary' : 'primary'}
          icon={busy === 'test' ? <Spinner size="tiny" /> : <PlugConnected20Regular />}
          disabled={busy !== null}
        >
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </Button>
        <Button
          appearance="primary"
          icon={busy === 'save' ? <Spinner size="tiny" /> : <Save20Regular />}
          disabled={busy !== null || !valid || !(testedThese && report?.ok)}
          onClick={() => void save(false)}
          data-testid="target-save"
        >
          Save
        </Button>
        {testedThese && report && !report.ok && (
          <Link
            as="button"
            type="button"
            disabled={busy !== null}
            onClick={() => void save(true)}
            data-testid="target-save-anyway"
          >
            Save anyway
          </Link>
        )}
        <Button appearance="subtle" disabled={busy !== null} onClick={() => props.onDone()}>
          Cancel
        </Button>
      </div>
      {!(testedThese && report?.ok) && <Caption1>Save is offered once the test of these values passes.</Caption1>}
    </form>
  );
}
