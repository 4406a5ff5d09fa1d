/**
 * A recording stand-in for the parts of Electron the built shell (and electron-log / electron-store inside it) use.
 * Every member is declared through {@link Part}: its name must exist on Electron's own type and it takes Electron's
 * own parameter types, so a stand-in for a call the real API does not have, or with another shape, fails to compile.
 * Results that are Electron objects (windows, menus, images) are stand-ins and typed loosely on purpose.
 */
import type * as Electron from 'electron';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

type ElectronModule = typeof Electron;

/** Members `K` of Electron's `T`, with Electron's parameter types; object results may be stand-ins. */
export type Part<T, K extends keyof T> = {
  [P in K]: T[P] extends (...args: infer A) => infer R ? (...args: A) => R extends object ? unknown : R : T[P];
};

/** What the stand-in was asked, in order: enough to assert what the shell does without reading its code. */
export interface CallRecord {
  readonly api: string;
  readonly args: readonly unknown[];
}

type ShellPath = Parameters<Electron.App['getPath']>[0];

export interface StandInOptions {
  /** Where `app.getPath()` points (userData, logs, …): a fresh folder per scenario. */
  readonly root: string;
  /** What `requestSingleInstanceLock()` answers (false: another instance runs). */
  readonly gotLock?: boolean;
  /** Overrides for single paths, e.g. a userData that cannot be created, to make start-up fail. */
  readonly paths?: Partial<Record<ShellPath, string>>;
  /** When set, `new BrowserWindow()` throws this message, as Electron does when it cannot create a window. */
  readonly failWindows?: string;
}

/** `Promise.withResolvers` (Node 22) for Node 20. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Electron throws this from a destroyed window's methods; the stand-in does the same so stale references show. */
const destroyed = () => new TypeError('Object has been destroyed');

class AppStandIn
  extends EventEmitter
  implements
    Part<
      Electron.App,
      | 'requestSingleInstanceLock'
      | 'quit'
      | 'exit'
      | 'whenReady'
      | 'isReady'
      | 'getPath'
      | 'getVersion'
      | 'getName'
      | 'getLoginItemSettings'
      | 'setLoginItemSettings'
      | 'name'
      | 'isPackaged'
    >
{
  readonly name = 'Entra Sync Assistant';
  readonly isPackaged = false;
  private ready = false;
  private readonly readiness = deferred<void>();
  /** Resolves with the code the first time the shell calls `app.exit()`. */
  readonly exited = deferred<number | undefined>();

  constructor(
    private readonly options: StandInOptions,
    private readonly record: (api: string, ...args: unknown[]) => void,
  ) {
    super();
  }

  requestSingleInstanceLock(): boolean {
    this.record('app.requestSingleInstanceLock');
    return this.options.gotLock ?? true;
  }
  quit(): void {
    this.record('app.quit');
  }
  exit(exitCode?: number): void {
    this.record('app.exit', exitCode);
    this.exited.resolve(exitCode);
  }
  whenReady(): Promise<void> {
    return this.readiness.promise;
  }
  isReady(): boolean {
    return this.ready;
  }
  getPath(name: ShellPath): string {
    const path = this.options.paths?.[name] ?? join(this.options.root, name);
    if (!this.options.paths?.[name]) mkdirSync(path, { recursive: true });
    return path;
  }
  getVersion(): string {
    return '0.0.0-shell-test';
  }
  getName(): string {
    return this.name;
  }
  getLoginItemSettings(): Electron.LoginItemSettings {
    return {
      openAtLogin: false,
      wasOpenedAtLogin: false,
      status: 'not-registered',
      executableWillLaunchAtLogin: false,
      launchItems: [],
    };
  }
  setLoginItemSettings(settings: Electron.Settings): void {
    this.record('app.setLoginItemSettings', settings);
  }

  /**
   * The test's side: Electron is ready (`whenReady` resolves, `ready` is emitted). Resolves after the shell's own
   * `whenReady` callbacks ran: they were attached first, so they run first.
   */
  async becomeReady(): Promise<void> {
    this.ready = true;
    this.readiness.resolve();
    this.emit('ready');
    await this.readiness.promise;
  }
}

class WebContentsStandIn
  extends EventEmitter
  implements Part<Electron.WebContents, 'setWindowOpenHandler' | 'send' | 'isDestroyed' | 'isCrashed'>
{
  windowOpenHandler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0] | undefined;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  private gone = false;

  setWindowOpenHandler(handler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0]): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.gone) throw destroyed();
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.gone;
  }
  isCrashed(): boolean {
    return false;
  }
  destroy(): void {
    this.gone = true;
  }
}

/** Builds the BrowserWindow class of one scenario; windows register themselves in `windows`. */
function windowClass(windows: WindowStandIn[], record: (api: string, ...args: unknown[]) => void, failure?: string) {
  return class BrowserWindow extends WindowStandIn {
    constructor(options?: Electron.BrowserWindowConstructorOptions) {
      if (failure) throw new Error(failure);
      super(options ?? {}, windows, record);
    }
    static getAllWindows(): WindowStandIn[] {
      return windows.filter((w) => !w.isDestroyed());
    }
  };
}

export class WindowStandIn
  extends EventEmitter
  implements Part<Electron.BrowserWindow, 'show' | 'focus' | 'restore' | 'isMinimized' | 'isDestroyed' | 'loadFile' | 'loadURL'>
{
  readonly webContents = new WebContentsStandIn();
  loaded: { kind: 'file' | 'url'; target: string } | undefined;
  shown = false;
  focused = false;
  private gone = false;

  constructor(
    readonly options: Electron.BrowserWindowConstructorOptions,
    private readonly windows: WindowStandIn[],
    record: (api: string, ...args: unknown[]) => void,
  ) {
    super();
    windows.push(this);
    record('new BrowserWindow', options);
  }

  private alive(): void {
    if (this.gone) throw destroyed();
  }
  show(): void {
    this.alive();
    this.shown = true;
  }
  focus(): void {
    this.alive();
    this.focused = true;
  }
  restore(): void {
    this.alive();
  }
  isMinimized(): boolean {
    this.alive();
    return false;
  }
  isDestroyed(): boolean {
    return this.gone;
  }
  loadFile(filePath: string): Promise<void> {
    this.alive();
    this.loaded = { kind: 'file', target: filePath };
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.alive();
    this.loaded = { kind: 'url', target: url };
    return Promise.resolve();
  }

  /** The test's side: the user closes the window; the last one closing emits `window-all-closed`, as Electron does. */
  userCloses(app: EventEmitter): void {
    this.alive();
    this.gone = true;
    this.webContents.destroy();
    this.emit('closed');
    if (this.windows.every((w) => w.isDestroyed())) app.emit('window-all-closed');
  }
}

export class MenuStandIn {
  constructor(readonly template: Electron.MenuItemConstructorOptions[]) {}
  /** Clicks the item with this id, the way Electron calls a template's `click`. */
  click(id: string): void {
    const item = this.template.find((entry) => entry.id === id);
    if (!item?.click) throw new Error(`no clickable menu item '${id}'`);
    item.click(undefined as never, undefined, undefined as never);
  }
}

class ImageStandIn implements Part<Electron.NativeImage, 'resize' | 'toBitmap'> {
  constructor(readonly size: number) {}
  resize(options: Electron.ResizeOptions): ImageStandIn {
    return new ImageStandIn(options.width ?? this.size);
  }
  toBitmap(): Buffer {
    return Buffer.alloc(this.size * this.size * 4);
  }
}

/** The names the stand-in module exports: each must be one of Electron's. */
export const standInExports = [
  'app',
  'BrowserWindow',
  'dialog',
  'Menu',
  'Notification',
  'Tray',
  'ipcMain',
  'nativeImage',
  'nativeTheme',
  'powerMonitor',
  'safeStorage',
  'session',
  'shell',
] as const satisfies readonly (keyof ElectronModule)[];

/** One scenario's Electron: the module the shell sees, and the record of what it asked. */
export function createElectronStandIn(options: StandInOptions) {
  const calls: CallRecord[] = [];
  const record = (api: string, ...args: unknown[]) => void calls.push({ api, args });
  const windows: WindowStandIn[] = [];
  const app = new AppStandIn(options, record);
  const invokeHandlers = new Map<string, Parameters<Electron.IpcMain['handle']>[1]>();
  const permission = {
    request: undefined as Parameters<Electron.Session['setPermissionRequestHandler']>[0] | undefined,
    check: undefined as Parameters<Electron.Session['setPermissionCheckHandler']>[0] | undefined,
  };
  const trays: TrayStandIn[] = [];
  const notifications: NotificationStandIn[] = [];
  let applicationMenu: MenuStandIn | null = null;

  const ipcMain = Object.assign(new EventEmitter(), {
    handle(channel: string, listener: Parameters<Electron.IpcMain['handle']>[1]): void {
      if (invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      invokeHandlers.set(channel, listener);
    },
    removeHandler(channel: string): void {
      invokeHandlers.delete(channel);
    },
  }) satisfies Part<Electron.IpcMain, 'handle' | 'removeHandler'>;

  class NotificationStandIn extends EventEmitter implements Part<Electron.Notification, 'show'> {
    static isSupported(): boolean {
      return true;
    }
    shown = false;
    constructor(readonly options?: Electron.NotificationConstructorOptions) {
      super();
      notifications.push(this);
    }
    show(): void {
      this.shown = true;
    }
  }

  class TrayStandIn
    extends EventEmitter
    implements Part<Electron.Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'destroy'>
  {
    menu: MenuStandIn | undefined;
    tooltip = '';
    gone = false;
    constructor(readonly image: unknown) {
      super();
      trays.push(this);
      record('new Tray');
    }
    setImage(): void {}
    setToolTip(toolTip: string): void {
      this.tooltip = toolTip;
    }
    setContextMenu(menu: Electron.Menu | null): void {
      this.menu = menu as unknown as MenuStandIn;
    }
    destroy(): void {
      this.gone = true;
    }
  }

  const module = {
    app,
    BrowserWindow: windowClass(windows, record, options.failWindows),
    Menu: {
      buildFromTemplate: (template: (Electron.MenuItemConstructorOptions | Electron.MenuItem)[]) =>
        new MenuStandIn(template as Electron.MenuItemConstructorOptions[]),
      setApplicationMenu: (menu: unknown) => void (applicationMenu = menu as MenuStandIn),
    } satisfies Part<typeof Electron.Menu, 'buildFromTemplate' | 'setApplicationMenu'>,
    dialog: {
      showErrorBox: (title: string, content: string) => void record('dialog.showErrorBox', title, content),
    } satisfies Part<Electron.Dialog, 'showErrorBox'>,
    Notification: NotificationStandIn,
    Tray: TrayStandIn,
    ipcMain,
    nativeImage: {
      createFromPath(path: string) {
        record('nativeImage.createFromPath', path, existsSync(path));
        return new ImageStandIn(256);
      },
      createFromBitmap: (_buffer: Buffer, options: Electron.CreateFromBitmapOptions) => new ImageStandIn(options.width),
    } satisfies Part<typeof Electron.nativeImage, 'createFromPath' | 'createFromBitmap'>,
    nativeTheme: { shouldUseDarkColors: false } satisfies Part<Electron.NativeTheme, 'shouldUseDarkColors'>,
    powerMonitor: new EventEmitter(),
    safeStorage: {
      encryptString: (plainText: string) => Buffer.from(`stand-in:${plainText}`),
      decryptString: (encrypted: Buffer) => encrypted.toString().replace(/^stand-in:/, ''),
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret' as const,
    } satisfies Part<
      Electron.SafeStorage,
      'encryptString' | 'decryptString' | 'isEncryptionAvailable' | 'getSelectedStorageBackend'
    >,
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof permission.request) => void (permission.request = handler ?? undefined),
        setPermissionCheckHandler: (handler: typeof permission.check) => void (permission.check = handler ?? undefined),
      } satisfies Part<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
    },
    shell: {
      openExternal: (url: string) => (record('shell.openExternal', url), Promise.resolve()),
      openPath: (path: string) => (record('shell.openPath', path), Promise.resolve('')),
    } satisfies Part<Electron.Shell, 'openExternal' | 'openPath'>,
  } satisfies Record<(typeof standInExports)[number], unknown>;

  return {
    module,
    app,
    calls,
    windows,
    invokeHandlers,
    permission,
    trays,
    notifications,
    applicationMenu: () => applicationMenu,
    /** The calls to one API, in order. */
    callsTo: (api: string) => calls.filter((c) => c.api === api),
  };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;
