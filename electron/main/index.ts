import { BrowserWindow, Notification, app, dialog, ipcMain, shell } from 'electron';
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import { exportWithSaveDialog } from './export-dialog';
import { isAllowedExternalUrl } from './external-links';
import { emulatedDemoTenant } from '../emulator';
import { emulatedDemoTargets } from '../emulator/demo-targets';
import { createAppCore } from '../services/app/app-core';
import { ownerOnlyFileMode } from '../services/app/data-dir';
import { EventHub } from '../services/app/events';
import { systemClock } from '../services/ports';
import { createSettingsStore } from '../services/settings/settings-store';
import { registerIpcHandlers, sendEvent, trustedSenderFor } from './ipc-main';
import { createElectronLogger, logFolder } from './log';
import { installMenu } from './menu';
import { FileVault } from '../services/settings/file-vault';
import { safeStorageCodec } from './safe-storage-vault';
import { createMainWindow, lockDownSession, rendererLocation } from './window';
import { installDesktopPresence, type DesktopPresence } from './desktop-presence';

// One instance only: a second launch focuses the first window instead of running two schedulers.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | undefined;
  let presence: DesktopPresence | undefined;
  const logger = createElectronLogger();

  app.on('second-instance', () => {
    if (!mainWindow) return presence?.open();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app
    .whenReady()
    .then(() => {
      const dataDir = app.getPath('userData');
      lockDownSession(logger);
      const events = new EventHub();
      events.subscribe((event, payload) => sendEvent(mainWindow?.webContents, event, payload as never));
      const settings = createSettingsStore({
        open: () =>
          new ElectronStore<Record<string, unknown>>({
            cwd: dataDir,
            name: 'settings',
            clearInvalidConfig: false,
            configFileMode: ownerOnlyFileMode,
          }),
        filePath: join(dataDir, 'settings.json'),
        clock: systemClock,
        logger,
      });
      const core = createAppCore({
        host: 'electron',
        version: app.getVersion(),
        platform: process.platform,
        dataDir,
        settings,
        vault: new FileVault(join(dataDir, 'secrets.json'), safeStorageCodec, { clock: systemClock, logger }),
        notifier: {
          notify(n) {
            events.emit('app:notification', n);
            if (Notification.isSupported()) {
              const desktop = new Notification({ title: n.title, body: n.body });
              desktop.on('click', () => presence?.open(n.action));
              desktop.show();
            }
          },
        },
        clock: systemClock,
        logger,
        events,
        demoTenant: emulatedDemoTenant(),
        demoTargets: emulatedDemoTargets(),
        deliverExport: exportWithSaveDialog(() => mainWindow),
        // "Set it up for me": the admin's sign-in page in the system browser, Microsoft's sign-in hosts only.
        openSignInPage: async (url) => {
          if (!isAllowedExternalUrl(url)) {
            throw new Error('The sign-in page is not on a Microsoft sign-in address, so it was not opened: use the device code.');
          }
          await shell.openExternal(url);
        },
      });
      const location = rendererLocation();
      registerIpcHandlers(ipcMain, core.handlers, trustedSenderFor(location.url, process.env.ELECTRON_RENDERER_URL), logger);
      installMenu(() => void shell.openPath(logFolder()));
      const openWindow = () => {
        mainWindow = createMainWindow(logger);
        mainWindow.on('closed', () => (mainWindow = undefined));
        return mainWindow;
      };
      // The tray keeps the app (schedule, reminders) running when the window closes; a login start stays hidden.
      presence = installDesktopPresence({ core, events, logger, window: () => mainWindow, openWindow });
      if (!presence.startHidden) openWindow();

      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) openWindow();
      });
      app.on('before-quit', () => void core.close());
      logger.info('started', { version: app.getVersion() });
    })
    // A throw inside the ready callback too (settings folder unwritable, …), not only a failed whenReady.
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      logger.error('failed to start', { error: reason });
      dialog.showErrorBox(
        'Entra Sync Assistant could not start',
        `${reason}\n\nCheck that your user can write to ${app.getPath('userData')}, then start the app again. The log folder has the details: ${logFolder()}`,
      );
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !presence?.inTray) app.quit();
  });
}
