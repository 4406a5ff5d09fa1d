import type { AppInfo, Handlers, HostKind } from '../../../shared/ipc';
import type { Clock, Logger, Notifier, SecretVault } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import type { EventSink } from './events';

/** What a host hands the core: everything that differs between Electron, the browser host and tests. */
export interface AppCorePorts {
  readonly host: HostKind;
  readonly version: string;
  readonly platform: string;
  /** The app's data folder (databases, logs, the demo tenant's files). */
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly vault: SecretVault;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: EventSink;
}

/** The core as a host sees it: the contract's handlers, and a way to stop background work. */
export interface AppCore {
  readonly handlers: Handlers;
  close(): Promise<void>;
}

/** Wires the services behind every request channel. Both hosts call this with their own ports. */
export function createAppCore(ports: AppCorePorts): AppCore {
  const { settings, clock, vault } = ports;

  const appInfo = (): AppInfo => {
    const protection = vault.protection();
    const notice = settings.notice;
    return {
      name: 'Entra Sync Assistant',
      version: ports.version,
      host: ports.host,
      platform: ports.platform,
      theme: settings.get().ui.theme,
      secretStorageSecure: protection.secure,
      secretStorageBackend: protection.backend,
      ...(notice ? { settingsNotice: notice } : {}),
    };
  };

  const handlers: Handlers = {
    'app:getInfo': async () => appInfo(),
    'onboarding:get': async () => settings.get().onboarding,
    'onboarding:saveAnswers': async ({ answers }) =>
      settings.update((s) => ({ ...s, onboarding: { ...s.onboarding, answers } })).onboarding,
    'onboarding:chooseModel': async ({ model, answers }) =>
      settings.update((s) => ({
        ...s,
        onboarding: { model, answers, chosenAt: clock.now().toISOString() },
      })).onboarding,
    'onboarding:reset': async () => settings.update((s) => ({ ...s, onboarding: { answers: s.onboarding.answers } })).onboarding,
    'ui:setPreferences': async (prefs) => {
      settings.update((s) => ({ ...s, ui: { ...s.ui, ...prefs } }));
      return appInfo();
    },
  };

  return {
    handlers,
    async close() {},
  };
}
