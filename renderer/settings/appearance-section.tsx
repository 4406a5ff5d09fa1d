import { Body1, Card, Radio, RadioGroup, Subtitle2 } from '@fluentui/react-components';
import { useState } from 'react';
import type { AppInfo } from '../../shared/ipc';
import { call } from '../api/client';
import { useSystemPrefersDark } from '../app/use-color-scheme';
import { ErrorPanel } from '../components/error-panel';
import { useSettingsStyles } from './settings-styles';
import { useShell } from './shell-context';

type Theme = AppInfo['theme'];

/** Settings → Appearance: System, Light or Dark, applied at once and saved (`ui:setPreferences`). */
export function AppearanceSection() {
  const styles = useSettingsStyles();
  const shell = useShell();
  const systemDark = useSystemPrefersDark();
  const [error, setError] = useState<Error>();

  const choose = async (theme: Theme) => {
    const before = shell.info;
    // Shown at once; the saved answer follows (and undoes the change if saving failed).
    shell.infoChanged({ ...before, theme });
    try {
      shell.infoChanged(await call('ui:setPreferences', { theme }));
      setError(undefined);
    } catch (e) {
      shell.infoChanged(before);
      setError(e as Error);
    }
  };

  return (
    <Card className={styles.card} aria-labelledby="settings-appearance-heading" data-testid="settings-appearance">
      <Subtitle2 as="h2" id="settings-appearance-heading" className={styles.title}>
        Appearance
      </Subtitle2>
      <RadioGroup
        layout="horizontal"
        value={shell.info.theme}
        onChange={(_, d) => void choose(d.value as Theme)}
        aria-labelledby="settings-appearance-heading"
      >
        <Radio value="system" label={`System (now ${systemDark ? 'dark' : 'light'})`} />
        <Radio value="light" label="Light" />
        <Radio value="dark" label="Dark" />
      </RadioGroup>
      <Body1 className={styles.muted}>System follows your computer’s light or dark setting as it changes.</Body1>
      {error && <ErrorPanel title="The theme could not be saved" error={error} onRetry={() => setError(undefined)} />}
    </Card>
  );
}
