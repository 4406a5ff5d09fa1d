import {
  Body1,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Subtitle2,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ConnectionSummary } from '../../shared/contract/connection';
import { call } from '../api/client';
import { ErrorPanel } from '../components/error-panel';
import { CopyChip } from '../wizard/step-parts';
import { dataFiles, secretStorageFacts } from './connection-facts';
import { useSettingsStyles } from './settings-styles';
import { useShell } from './shell-context';

const hostNames = { electron: 'Desktop app', browser: 'Browser preview' } as const;

/** Settings → About & storage: version, the data folder and its files, and how well the secret is protected. */
export function AboutSection(props: { connection: ConnectionSummary }) {
  const styles = useSettingsStyles();
  const { info } = useShell();
  const facts = secretStorageFacts(info);
  const [error, setError] = useState<Error>();
  const { connection } = props;
  const answer = connection.weakStorage === 'unasked' ? '' : connection.weakStorage;

  const setWeakStorage = (store: boolean) =>
    void call('connection:setWeakStorage', { store }).then(() => setError(undefined), setError);

  return (
    <Card className={styles.card} aria-labelledby="settings-about-heading" data-testid="settings-about">
      <Subtitle2 as="h2" id="settings-about-heading" className={styles.title}>
        About &amp; storage
      </Subtitle2>
      <dl className={styles.facts} aria-label="About this app">
        <dt className={styles.term}>Version</dt>
        <dd className={styles.value} data-testid="settings-version">
          {info.name} {info.version}
        </dd>
        <dt className={styles.term}>Running as</dt>
        <dd className={styles.value}>
          {hostNames[info.host]} on {info.platform}
        </dd>
        <dt className={styles.term}>Data folder</dt>
        <dd className={styles.value} data-testid="settings-data-dir">
          <CopyChip value={info.dataDir} label="the data folder path" />
        </dd>
        {dataFiles(info.host).map((file) => (
          <div key={file.name} className={styles.group}>
            <dt className={styles.term}>
              <Text className={styles.code}>{file.name}</Text>
            </dt>
            <dd className={styles.value}>{file.holds}</dd>
          </div>
        ))}
        <dt className={styles.term}>Secret storage</dt>
        <dd className={styles.value} data-testid="settings-secret-storage">
          {info.secretStorageBackend}
        </dd>
      </dl>
      <MessageBar intent={facts.secure ? 'success' : 'warning'} layout="multiline" data-testid="secret-storage-facts">
        <MessageBarBody>
          <MessageBarTitle>{facts.title}</MessageBarTitle>
          {facts.body}
        </MessageBarBody>
      </MessageBar>
      {!facts.secure && !connection.demo && (
        <>
          <Body1>Where should the client secret of your tenant be kept?</Body1>
          <RadioGroup
            value={answer}
            onChange={(_, d) => setWeakStorage(d.value === 'accepted')}
            aria-label="Where to keep the client secret"
          >
            <Radio value="accepted" label="Store it anyway, so scheduled syncs keep working after a restart" />
            <Radio value="declined" label="Keep it only while the app runs; I enter it again after a restart" />
          </RadioGroup>
        </>
      )}
      {error && <ErrorPanel title="That did not work" error={error} onRetry={() => setError(undefined)} />}
    </Card>
  );
}
