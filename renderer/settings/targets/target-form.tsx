import {
  Body1,
  Button,
  Caption1,
  Checkbox,
  Field,
  Input,
  Link,
  Radio,
  RadioGroup,
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
import { targetProductInfo, type BitbucketDisableMode, type ScimPreset, type TargetProduct } from '../../../shared/targets';
import { call, type ApiError } from '../../api/client';
import { useLeaveGuard } from '../../app/leave-guard';
import { useSettingsStyles } from '../settings-styles';
import { defaultTargetName, productIntro } from './product-texts';
import { TargetChecks, TargetError } from './target-checks';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0, maxWidth: '720px' },
  pem: { fontFamily: tokens.fontFamilyMonospace },
});

const pemStart = '-----BEGIN CERTIFICATE-----';

const atlassianCloudUrl = 'https://api.atlassian.com/scim/directory/';

/**
 * Add or edit a target of any product: name, base URL (checked as it is typed), the product's credential — a token,
 * or a username (Bitbucket's administrator, Crowd's application) and a password — masked and never shown again
 * (editing keeps the stored one unless a new one is typed), the product's own choice (what "disable" means in
 * Bitbucket, the SCIM preset), an optional private CA certificate. "Test connection" shows every check; Save is
 * offered once the test of exactly these values passed, "Save anyway" after a test that did not.
 */
export function TargetForm(props: { product: TargetProduct; existing?: TargetSummary; onDone: (saved?: TargetSummary) => void }) {
  const styles = useStyles();
  const settings = useSettingsStyles();
  const { existing } = props;
  const product = existing && existing.product !== 'local' ? existing.product : props.product;
  const info = targetProductInfo[product];
  const [name, setName] = useState(existing?.name ?? defaultTargetName[product]);
  const [scimPreset, setScimPreset] = useState<ScimPreset>(existing?.scimPreset ?? 'atlassian-cloud');
  const [baseUrl, setBaseUrl] = useState(existing?.url ?? (product === 'scim' ? atlassianCloudUrl : ''));
  const [username, setUsername] = useState(existing?.username ?? '');
  const [bitbucketDisable, setBitbucketDisable] = useState<BitbucketDisableMode>(existing?.bitbucketDisable ?? 'unlicense');
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
  const key = JSON.stringify([baseUrl.trim(), username.trim(), token, caValue ?? null, keepsCa, scimPreset]);
  const secretLabel = info.secretLabel.toLowerCase();
  const problems = {
    name: name.trim() === '' ? `Give the target a name, for example "${info.shortLabel} production".` : undefined,
    url:
      product === 'scim' &&
      scimPreset === 'atlassian-cloud' &&
      baseUrl.trim().replace(/\/+$/, '') === atlassianCloudUrl.slice(0, -1)
        ? 'Add your directory id after /scim/directory/ (Atlassian Administration → Security → Identity providers → your directory).'
        : (targetUrlProblem(baseUrl, product) ?? undefined),
    username: info.usernameLabel && username.trim() === '' ? `Type the ${info.usernameLabel.toLowerCase()}.` : undefined,
    token: !existing && token.trim() === '' ? `Paste the ${secretLabel}. ${info.credentialWhy}` : undefined,
    ca:
      useCa && !keepsCa && !caPem.includes(pemStart)
        ? `Paste the CA certificate as PEM text, starting with ${pemStart}.`
        : undefined,
  };
  const valid = !problems.name && !problems.url && !problems.username && !problems.token && !problems.ca;
  const testedThese = report !== undefined && testedKey === key;
  const show = (field: keyof typeof problems) => (touched[field] ? problems[field] : undefined);

  const values = () => ({
    ...(existing ? { id: existing.id } : { product }),
    baseUrl: baseUrl.trim(),
    ...(info.usernameLabel ? { username: username.trim() } : {}),
    ...(token.trim() ? { token: token.trim() } : {}),
    ...(caValue === undefined ? {} : { caCertPem: caValue }),
    ...(product === 'scim' ? { scimPreset } : {}),
  });

  // Anything typed or chosen since the form opened: leaving the page or the wizard step asks first (the leave guard).
  const dirty =
    name !== (existing?.name ?? defaultTargetName[product]) ||
    baseUrl !== (existing?.url ?? (product === 'scim' ? atlassianCloudUrl : '')) ||
    username !== (existing?.username ?? '') ||
    token !== '' ||
    useCa !== (existing?.hasCaCert ?? false) ||
    caPem !== '' ||
    scimPreset !== (existing?.scimPreset ?? 'atlassian-cloud') ||
    bitbucketDisable !== (existing?.bitbucketDisable ?? 'unlicense');

  /** Tests these values; the report, or undefined when they are not valid or the test could not run. */
  const test = async (): Promise<TargetTestReport | undefined> => {
    setTouched({ name: true, url: true, username: true, token: true, ca: true });
    if (!valid || busy) return undefined;
    setBusy('test');
    setError(undefined);
    try {
      const done = await call('targets:test', values());
      setReport(done);
      setTestedKey(key);
      return done;
    } catch (e) {
      setError(e as ApiError);
      return undefined;
    } finally {
      setBusy(null);
    }
  };

  /** Saves the target; true once stored. */
  const save = async (saveAnyway: boolean): Promise<boolean> => {
    setBusy('save');
    setError(undefined);
    try {
      const result = await call('targets:save', {
        ...values(),
        name: name.trim(),
        ...(product === 'bitbucket' ? { bitbucketDisable } : {}),
        saveAnyway,
      });
      if (result.saved) props.onDone(result.target);
      else {
        setReport(result.report);
        setTestedKey(key);
      }
      return result.saved;
    } catch (e) {
      setError(e as ApiError);
      return false;
    } finally {
      setBusy(null);
    }
  };

  // "Save" in the leave question: values that passed their test are saved; others are tested first, and a failed
  // test keeps the admin here with its verdict (nothing untested is saved on the way out).
  useLeaveGuard(dirty, async () => {
    const passed = testedThese && report?.ok ? report : await test();
    return passed?.ok === true && (await save(false));
  });

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
        {existing ? `Edit ${existing.name}` : `Add a ${info.label} target`}
      </Subtitle2>
      <Body1>{productIntro[product]}</Body1>
      <Field label="Name" required validationMessage={show('name')}>
        <Input
          ref={first}
          value={name}
          onChange={(_, d) => setName(d.value)}
          onBlur={() => setTouched((t) => ({ ...t, name: true }))}
        />
      </Field>
      {product === 'scim' && (
        <Field label="Service">
          <RadioGroup
            value={scimPreset}
            onChange={(_, d) => {
              const next = d.value as ScimPreset;
              setScimPreset(next);
              if (next === 'atlassian-cloud' && baseUrl.trim() === '') setBaseUrl(atlassianCloudUrl);
              if (next === 'generic' && baseUrl === atlassianCloudUrl) setBaseUrl('');
            }}
            data-testid="target-scim-preset"
          >
            <Radio value="atlassian-cloud" label="Atlassian Cloud (Atlassian Guard user provisioning)" />
            <Radio value="generic" label="Another SCIM 2.0 service" />
          </RadioGroup>
        </Field>
      )}
      <Field
        label="Base URL"
        required
        hint={
          product === 'scim'
            ? scimPreset === 'atlassian-cloud'
              ? 'https://api.atlassian.com/scim/directory/ followed by your directory id'
              : 'The SCIM base address the service documents, the one before /Users and /Groups'
            : `The address you open ${info.shortLabel} with, with its context path: ${info.urlExample}`
        }
        validationMessage={show('url')}
      >
        <Input
          type="url"
          value={baseUrl}
          placeholder={info.urlExample}
          onChange={(_, d) => setBaseUrl(d.value)}
          onBlur={() => setTouched((t) => ({ ...t, url: true }))}
          data-testid="target-url"
        />
      </Field>
      {info.usernameLabel && (
        <Field label={info.usernameLabel} required validationMessage={show('username')}>
          <Input
            value={username}
            autoComplete="off"
            onChange={(_, d) => setUsername(d.value)}
            onBlur={() => setTouched((t) => ({ ...t, username: true }))}
            data-testid="target-username"
          />
        </Field>
      )}
      <Field
        label={info.secretLabel}
        required={!existing}
        hint={
          existing ? (
            `Stored: ${existing.tokenHint || 'yes'}. Leave empty to keep it, or type a new one.`
          ) : (
            <>
              {info.credentialWhy}{' '}
              <Link href={info.credentialLink.url} target="_blank" rel="noreferrer">
                {info.credentialLink.label}
              </Link>
            </>
          )
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
      {product === 'bitbucket' && (
        <Field
          label="What “disable” means in Bitbucket"
          hint="Bitbucket has no deactivation. The plan says which it does, and the safety brake counts both as destructive."
        >
          <RadioGroup
            value={bitbucketDisable}
            onChange={(_, d) => setBitbucketDisable(d.value as BitbucketDisableMode)}
            data-testid="target-bitbucket-disable"
          >
            <Radio
              value="unlicense"
              label="Remove the user from the groups that grant a Bitbucket licence (they keep their account and can be licensed again)"
            />
            <Radio value="delete" label="Delete the user (cannot be undone)" />
          </RadioGroup>
        </Field>
      )}
      <Checkbox
        checked={useCa}
        onChange={(_, d) => setUseCa(d.checked === true)}
        label={`${product === 'scim' ? 'The service' : info.shortLabel}'s certificate is signed by a private certificate authority: trust its certificate for this target`}
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
          // Focusable while busy: after Enter the focus stays on the button (not <body>), so Tab reaches Save next.
          disabledFocusable={busy !== null}
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
