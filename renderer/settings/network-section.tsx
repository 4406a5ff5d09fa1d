import {
  Badge,
  Body1,
  Button,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle2,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useRef } from 'react';
import type { NetworkProblem, NetworkView, ProxyMode } from '../../shared/network';
import { proxyModes } from '../../shared/network';
import { ErrorPanel } from '../components/error-panel';
import { bypassSummary, certificateExpiry, proxyModeLabels, proxySummary } from './network-words';
import { useSettingsStyles } from './settings-styles';
import { useNetworkForm, type NetworkForm } from './use-network-form';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px' },
  pem: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  group: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalM,
  },
});

const messageFor = (problems: readonly NetworkProblem[], field: NetworkProblem['field']) => {
  const found = problems.filter((p) => p.field === field).map((p) => p.message);
  return found.length > 0 ? found.join(' ') : undefined;
};

/**
 * Settings → Network: the proxy (none, this computer's, or one entered with the hosts that bypass it), an extra
 * trusted CA certificate shown by subject and expiry, and the custom cloud's endpoints. Saved only when all of it is
 * right; used by the next connection test and sync. "Test" reaches the cloud's token host with the values typed.
 */
export function NetworkSection() {
  const styles = useSettingsStyles();
  const form = useNetworkForm();
  return (
    <Card className={styles.card} aria-labelledby="settings-network-heading" data-testid="settings-network">
      <Subtitle2 as="h2" id="settings-network-heading" className={styles.title}>
        Network
      </Subtitle2>
      {form.loadError ? (
        <ErrorPanel title="The network settings could not be read" error={form.loadError} onRetry={form.reload} />
      ) : !form.view ? (
        <Spinner size="small" label="Reading the network settings…" />
      ) : (
        <>
          <SavedFacts view={form.view} />
          <NetworkFormFields form={form} view={form.view} />
        </>
      )}
    </Card>
  );
}

function SavedFacts(props: { view: NetworkView }) {
  const styles = useSettingsStyles();
  const { view } = props;
  const bypass = bypassSummary(view);
  const cert = view.certificate;
  return (
    <dl className={styles.facts} data-testid="network-saved">
      <div className={styles.group}>
        <dt className={styles.term}>Proxy</dt>
        <dd className={styles.value} data-testid="network-saved-proxy">
          {proxySummary(view)}
        </dd>
      </div>
      {bypass && (
        <div className={styles.group}>
          <dt className={styles.term}>Connects directly to</dt>
          <dd className={styles.value} data-testid="network-saved-bypass">
            {bypass}
          </dd>
        </div>
      )}
      <div className={styles.group}>
        <dt className={styles.term}>Extra trusted CA</dt>
        <dd className={styles.value} data-testid="network-saved-ca">
          {cert ? (
            <>
              <span data-testid="network-ca-subject">{cert.subject}</span>
              {cert.issuer !== cert.subject && <span className={styles.muted}> (issued by {cert.issuer})</span>}
              <br />
              <span data-testid="network-ca-expiry">{certificateExpiry(cert)}</span>{' '}
              {cert.expiringSoon && (
                <Badge appearance="tint" color="warning">
                  Expires soon
                </Badge>
              )}
            </>
          ) : (
            'None: only the certificates this computer already trusts'
          )}
        </dd>
      </div>
    </dl>
  );
}

function NetworkFormFields(props: { form: NetworkForm; view: NetworkView }) {
  const styles = useSettingsStyles();
  const own = useStyles();
  const { form, view } = props;
  const fileInput = useRef<HTMLInputElement>(null);
  const busy = form.busy !== undefined;

  const loadFile = async (file: File | undefined) => {
    if (!file) return;
    form.setPem(await file.text());
  };

  return (
    <form
      className={own.form}
      aria-label="Network settings"
      onSubmit={(e) => {
        e.preventDefault();
        void form.save();
      }}
    >
      <Field label="How the app reaches Microsoft">
        <RadioGroup value={form.mode} onChange={(_, d) => form.setMode(d.value as ProxyMode)}>
          {proxyModes.map((mode) => (
            <Radio key={mode} value={mode} label={proxyModeLabels[mode]} />
          ))}
        </RadioGroup>
      </Field>
      {form.mode === 'system' && (
        <Body1 className={styles.muted}>
          {view.system.proxy ? `This computer names the proxy ${view.system.proxy}.` : 'This computer names no proxy.'}
        </Body1>
      )}
      {form.mode === 'manual' && (
        <Field
          label="Proxy address"
          hint="For example http://proxy.example.com:8080"
          validationMessage={messageFor(form.problems, 'proxy.url')}
          required
        >
          <Input value={form.url} onChange={(_, d) => form.setUrl(d.value)} data-testid="network-proxy-url" />
        </Field>
      )}
      {form.mode !== 'none' && (
        <Field
          label="Hosts that bypass the proxy"
          hint="One per line or separated by commas: intranet.example.com, .example.com, 10.0.0.5"
          validationMessage={messageFor(form.problems, 'proxy.bypass')}
        >
          <Textarea
            value={form.bypassText}
            onChange={(_, d) => form.setBypassText(d.value)}
            resize="vertical"
            data-testid="network-bypass"
            disabled={form.mode === 'system'}
            placeholder={form.mode === 'system' ? 'From NO_PROXY' : undefined}
          />
        </Field>
      )}
      <div className={own.group}>
        <Field
          label="Extra trusted CA certificate (PEM)"
          hint="The CA of a TLS-inspecting proxy or a private endpoint. Paste it, or load the .pem or .crt file."
          validationMessage={messageFor(form.problems, 'caCertPem')}
        >
          <Textarea
            className={own.pem}
            value={form.pem}
            onChange={(_, d) => form.setPem(d.value)}
            resize="vertical"
            rows={4}
            placeholder="-----BEGIN CERTIFICATE-----"
            data-testid="network-ca-pem"
          />
        </Field>
        <div className={styles.actions}>
          <Button onClick={() => fileInput.current?.click()}>Load from a file…</Button>
          {form.pem && <Button onClick={() => form.setPem('')}>Remove the certificate</Button>}
          <input
            ref={fileInput}
            type="file"
            accept=".pem,.crt,.cer,application/x-pem-file"
            hidden
            data-testid="network-ca-file"
            onChange={(e) => void loadFile(e.target.files?.[0])}
          />
        </div>
      </div>
      <EndpointFields form={form} inUse={view.endpointsInUse} />
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {form.busy === 'saving' ? 'Saving…' : 'Save'}
        </Button>
        <Button onClick={() => void form.runTest()} disabled={busy} data-testid="network-test">
          {form.busy === 'testing' ? 'Testing…' : 'Test'}
        </Button>
        {form.busy === 'testing' && <Spinner size="tiny" aria-label="Testing the network settings" />}
      </div>
      <Body1 className={styles.muted} data-testid="network-test-note">
        Test tries {view.testHost}, the token host of {view.demo ? 'Microsoft’s global cloud' : 'your connection’s cloud'}, with
        the values above, before they are saved.
        {view.demo && ' The demo tenant runs on this computer and is always reached directly.'}
      </Body1>
      <Answers form={form} />
    </form>
  );
}

function EndpointFields(props: { form: NetworkForm; inUse: boolean }) {
  const own = useStyles();
  const styles = useSettingsStyles();
  const { form } = props;
  const problem = messageFor(form.problems, 'customEndpoints');
  if (!props.inUse && !form.endpoints.authorityHost && !form.endpoints.graphBaseUrl) {
    return (
      <Body1 className={styles.muted}>
        Custom cloud endpoints are used only when the connection’s cloud is custom; your connection uses a Microsoft cloud, whose
        addresses are built in.
      </Body1>
    );
  }
  return (
    <div className={own.group}>
      <Subtitle2 as="h3" className={styles.title}>
        Custom cloud endpoints
      </Subtitle2>
      <Field label="Token host" hint="For example https://login.example.com" validationMessage={problem}>
        <Input value={form.endpoints.authorityHost} onChange={(_, d) => form.setEndpoint('authorityHost', d.value)} />
      </Field>
      <Field label="Microsoft Graph address" hint="For example https://graph.example.com">
        <Input value={form.endpoints.graphBaseUrl} onChange={(_, d) => form.setEndpoint('graphBaseUrl', d.value)} />
      </Field>
      <Field label="Token audience (optional)" hint="Empty: Microsoft Graph’s own (https://graph.microsoft.com)">
        <Input value={form.endpoints.graphResource} onChange={(_, d) => form.setEndpoint('graphResource', d.value)} />
      </Field>
    </div>
  );
}

function Answers(props: { form: NetworkForm }) {
  const { form } = props;
  const problems = form.problems.length;
  return (
    <div aria-live="polite">
      {problems > 0 && (
        <MessageBar intent="error" layout="multiline" data-testid="network-problems">
          <MessageBarBody>
            <MessageBarTitle>
              {problems === 1 ? 'One value needs correcting' : `${problems} values need correcting`}
            </MessageBarTitle>
            Nothing was saved or tested: the fields above say what is wrong.
          </MessageBarBody>
        </MessageBar>
      )}
      {form.saved && (
        <MessageBar intent="success" data-testid="network-saved-note">
          <MessageBarBody>Saved. The next connection test and sync use these settings.</MessageBarBody>
        </MessageBar>
      )}
      {form.test && (
        <MessageBar
          intent={form.test.outcome === 'reachable' ? 'success' : 'error'}
          layout="multiline"
          data-testid="network-test-result"
        >
          <MessageBarBody>
            <MessageBarTitle>{form.test.headline}</MessageBarTitle>
            {form.test.detail}
          </MessageBarBody>
        </MessageBar>
      )}
      {form.failure && <ErrorPanel title="That did not work" error={form.failure} />}
    </div>
  );
}
