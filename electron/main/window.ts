import { BrowserWindow, dialog, nativeTheme, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../services/ports';
import { isAllowedExternalUrl } from './external-links';

/** Where the renderer is loaded from: the dev server in development, the built files otherwise. */
export function rendererLocation(): { kind: 'url'; url: string } | { kind: 'file'; path: string; url: string } {
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (dev) return { kind: 'url', url: dev };
  const path = join(import.meta.dirname, '../renderer/index.html');
  return { kind: 'file', path, url: pathToFileURL(path).href };
}

/** Denies every permission request (camera, notifications from the page, geolocation, …) for all windows. */
export function lockDownSession(logger: Logger): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('denied a permission request', { permission });
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/**
 * Creates the main window with Electron's security checklist applied: isolated, sandboxed, no Node in the
 * page, no navigation away, no new windows (allow-listed https links go to the system browser).
 */
export function createMainWindow(logger: Logger): BrowserWindow {
  const window = new BrowserWindow({
    width: 1180,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Entra Sync Assistant',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1f1f1f' : '#ffffff',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  });

  window.once('ready-to-show', () => window.show());

  window.webContents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternal(url, logger);
  });
  // A page with unsaved changes (Sync settings) warns before the window unloads; Electron would cancel a close or
  // reload silently, so the admin is asked here.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Leave', 'Stay'],
      defaultId: 1,
      cancelId: 1,
      title: 'You have unsaved changes',
      message: 'You have unsaved changes',
      detail: 'Leave discards them; Stay keeps the window open so you can save them.',
    });
    if (choice === 0) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    openExternal(url, logger);
    return { action: 'deny' };
  });

  const location = rendererLocation();
  if (location.kind === 'url') void window.loadURL(location.url);
  else void window.loadFile(location.path);
  return window;
}

function openExternal(url: string, logger: Logger): void {
  if (isAllowedExternalUrl(url)) {
    void shell.openExternal(url);
  } else {
    logger.warn('refused to open a link that is not allow-listed', { url });
  }
}
