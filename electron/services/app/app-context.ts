import type { HostKind } from '../../../shared/ipc';
import type { Clock, DemoTargetsPort, DemoTenantPort, Logger, Notifier, SecretVault } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import type { ExportDelivery } from '../sync/export';
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
  /** Starts the demo tenant; every host fills it with the emulator (`emulatedDemoTenant()`). */
  readonly demoTenant: DemoTenantPort;
  /** Starts demo products beside the demo tenant (`emulatedDemoTargets()`); absent: no demo product is offered. */
  readonly demoTargets?: DemoTargetsPort;
  /**
   * How exports reach the admin: Electron asks where to save, the browser host hands out a download URL. Without
   * it, exports are saved in `<dataDir>/exports`.
   */
  readonly deliverExport?: ExportDelivery;
  /**
   * Opens the admin sign-in page of "Set it up for me" in the system browser (Electron: `shell.openExternal`).
   * Without it the page is sent to the window as `setupForMe:openBrowser`, which opens it in a new tab.
   */
  readonly openSignInPage?: (url: string) => Promise<void>;
}

/**
 * What feature handlers receive: the ports, plus a place to register work to stop when the app closes.
 * Long-lived services (scheduler, demo tenant, databases) are created once by `createAppCore` and added here.
 */
export interface AppContext extends AppCorePorts {
  /** Registers a cleanup to run (in reverse order) when the core closes. */
  onClose(cleanup: () => Promise<void> | void): void;
}
