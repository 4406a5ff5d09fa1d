/**
 * The built main process (out/main/index.js) on a recording Electron: what it asks of Electron at start, on IPC,
 * navigation, permissions, the tray, window closes and quitting. Rendering, real IPC and the OS stay with the
 * `_electron` Playwright spec (e2e/app.electron.spec.ts), which needs a binary.
 */
import type * as Electron from 'electron';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionSummary } from '../../shared/contract/connection';
import type { ReminderStatus, ScheduleStatus } from '../../shared/contract/schedule';
import { requestChannels } from '../../shared/ipc-channels';
import { trayModel } from '../main/tray-model';
import type { ElectronStandIn, WindowStandIn } from './electron-stand-in';
import { builtPreload, repoRoot, startBuiltMain } from './load-shell';

// electron-log is one per process and keeps the log path of the first run: the runs' folders live until the end.
let runs: string;
let root: string;
let shell: ElectronStandIn | undefined;

beforeAll(() => {
  runs = mkdtempSync(join(tmpdir(), 'esa-shell-'));
});
beforeEach(() => {
  root = mkdtempSync(join(runs, 'run-'));
});
afterEach(() => {
  shell?.app.emit('before-quit');
  shell = undefined;
});
afterAll(() => rmSync(runs, { recursive: true, force: true }));

/** Starts the built shell and lets Electron become ready. */
async function started(): Promise<ElectronStandIn> {
  shell = await startBuiltMain({ root });
  await shell.app.becomeReady();
  return shell;
}

const onlyWindow = (s: ElectronStandIn): WindowStandIn => {
  const open = s.windows.filter((w) => !w.isDestroyed());
  expect(open).toHaveLength(1);
  return open[0]!;
};

/** The page the window loaded, as a file URL: what a trusted renderer's frame reports as its URL. */
const rendererUrl = (s: ElectronStandIn) => pathToFileURL(s.windows[0]!.loaded!.target).href;

/** Calls a registered IPC handler the way Electron does for a frame at `senderUrl`. */
async function invoke<T>(s: ElectronStandIn, channel: string, args?: unknown, senderUrl: string | null = rendererUrl(s)) {
  const handler = s.invokeHandlers.get(`api:${channel}`);
  if (!handler) throw new Error(`no handler registered for api:${channel}`);
  const event = { senderFrame: senderUrl === null ? null : { url: senderUrl } } as unknown as Electron.IpcMainInvokeEvent;
  return (await handler(event, args)) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
}

async function value<T>(s: ElectronStandIn, channel: string, args?: unknown): Promise<T> {
  const envelope = await invoke<T>(s, channel, args);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.value;
}

describe('the built Electron main process', () => {
  it('asks for the single-instance lock and quits, doing nothing else, when another instance holds it', async () => {
    shell = await startBuiltMain({ root, gotLock: false });
    await shell.app.becomeReady();
    expect(shell.callsTo('app.requestSingleInstanceLock')).toHaveLength(1);
    expect(shell.callsTo('app.quit')).toHaveLength(1);
    expect(shell.windows).toHaveLength(0);
    expect([...shell.invokeHandlers.keys()].filter((c) => c.startsWith('api:'))).toEqual([]);
  });

  it('opens exactly one isolated, sandboxed window whose preload and page exist where the shell looks', async () => {
    const s = await started();
    expect(s.callsTo('app.requestSingleInstanceLock')).toHaveLength(1);
    const window = onlyWindow(s);
    const prefs = window.options.webPreferences ?? {};
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(prefs.preload).toBe(builtPreload);
    expect(existsSync(prefs.preload!), `preload at ${prefs.preload}`).toBe(true);

    expect(window.loaded?.kind).toBe('file');
    const page = window.loaded!.target;
    expect(page).toBe(join(repoRoot, 'out/renderer/index.html'));
    expect(existsSync(page), `renderer page at ${page}`).toBe(true);
    // A page whose script or stylesheet is missing is the white window this tier is here to catch.
    const assets = [...readFileSync(page, 'utf8').matchAll(/(?:src|href)="(\.?\/?assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(existsSync(join(dirname(page), asset)), asset).toBe(true);

    // The tray icon is a file of the build too.
    const icon = s.callsTo('nativeImage.createFromPath');
    expect(icon.map((c) => c.args[1])).toEqual([true]);
  });

  it('registers every contract channel through ipcMain.handle and refuses a sender that is not its own page', async () => {
    const s = await started();
    const contract = new Set<string>(requestChannels.map((c) => `api:${c}`));
    const registered = [...s.invokeHandlers.keys()];
    expect(
      [...contract].filter((c) => !s.invokeHandlers.has(c)),
      'contract channels without a handler',
    ).toEqual([]);
    expect(
      registered.filter((c) => c.startsWith('api:') && !contract.has(c)),
      'handlers outside the contract',
    ).toEqual([]);

    const info = await invoke<{ host: string }>(s, 'app:getInfo');
    expect(info).toMatchObject({ ok: true, value: { host: 'electron' } });
    for (const stranger of ['https://evil.example/index.html', 'file:///tmp/evil/index.html', null]) {
      expect(await invoke(s, 'onboarding:chooseModel', { model: 'jit', answers: {} }, stranger)).toMatchObject({
        ok: false,
        error: { code: 'forbidden-sender' },
      });
    }
    expect((await value<{ model?: string }>(s, 'onboarding:get')).model).toBeUndefined();
  });

  it('keeps the page where it is and sends only allow-listed https links to the system browser', async () => {
    const s = await started();
    const contents = onlyWindow(s).webContents;
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length;
    };
    expect(navigate('https://evil.example/phish')).toBe(1);
    expect(navigate('https://learn.microsoft.com/entra/identity-platform/quickstart-register-app')).toBe(1);
    const attach = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalledOnce();

    const open = (url: string) => contents.windowOpenHandler!({ url } as Electron.HandlerDetails);
    expect(open('https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps')).toEqual({ action: 'deny' });
    expect(open('http://entra.microsoft.com/')).toEqual({ action: 'deny' });
    expect(open('https://entra.microsoft.com.evil.example/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(s.callsTo('shell.openExternal').map((c) => c.args[0])).toEqual([
      'https://learn.microsoft.com/entra/identity-platform/quickstart-register-app',
      'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps',
    ]);
  });

  it('denies every permission request and check', async () => {
    const s = await started();
    const contents = onlyWindow(s).webContents as unknown as Electron.WebContents;
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read'] as const) {
      s.permission.request!(contents, permission, (granted) => answers.push(granted), {} as Electron.PermissionRequest);
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(s.permission.check!(contents, 'media', 'file://', {} as Electron.PermissionCheckHandlerHandlerDetails)).toBe(false);
  });

  it('draws the tray menu the tray model describes and keeps running in the tray when the window closes', async () => {
    const s = await started();
    expect(s.trays).toHaveLength(1);
    const tray = s.trays[0]!;
    await vi.waitFor(() => expect(tray.menu).toBeDefined());
    const expected = trayModel({
      schedule: await value<ScheduleStatus>(s, 'schedule:get'),
      reminders: await value<ReminderStatus>(s, 'reminders:get'),
      syncing: false,
      canRun: (await value<ConnectionSummary>(s, 'connection:get')).complete,
      now: new Date(),
    });
    expect(tray.menu!.template).toEqual(
      expected.items.map((item) =>
        item === null
          ? { type: 'separator' }
          : { id: item.id, label: item.label, enabled: item.enabled, click: expect.any(Function) as unknown },
      ),
    );
    expect(tray.tooltip).toBe(expected.tooltip);

    onlyWindow(s).userCloses(s.app);
    expect(s.callsTo('app.quit')).toHaveLength(0);
    expect(s.notifications.filter((n) => n.shown).map((n) => n.options?.title)).toEqual([
      'Entra Sync Assistant is still running',
    ]);

    tray.menu!.click('open');
    expect(onlyWindow(s).shown).toBe(true);
    tray.menu!.click('quit');
    expect(s.callsTo('app.quit')).toHaveLength(1);
  });

  it('brings back a window for a second launch and for activate, also after the window was closed', async () => {
    const s = await started();
    const first = onlyWindow(s);
    s.app.emit('second-instance');
    expect(first.focused).toBe(true);
    expect(s.windows).toHaveLength(1);

    first.userCloses(s.app);
    s.app.emit('activate');
    const second = onlyWindow(s);
    second.userCloses(s.app);
    // The shell must have forgotten the closed window: a second launch opens and focuses a new one.
    s.app.emit('second-instance');
    const third = onlyWindow(s);
    expect(third).not.toBe(second);
    expect(third.shown && third.focused).toBe(true);
  });

  it('opens the page a notification names when it is clicked, and closes the core before quitting', async () => {
    const s = await started();
    await value(s, 'onboarding:chooseModel', { model: 'user-sync', answers: {} });
    await value(s, 'connection:startDemo', { users: 10, groups: 1, secretExpiresInDays: 7 });
    const contents = onlyWindow(s).webContents;
    const sentOn = (channel: string) => contents.sent.filter((m) => m.channel === channel).map((m) => m.args[0]);

    await vi.waitFor(() => expect(sentOn('event:app:notification')).not.toEqual([]));
    const notice = sentOn('event:app:notification')[0] as { title: string; action?: string };
    expect(notice.action).toBeTruthy();
    const desktop = s.notifications.find((n) => n.options?.title === notice.title && n.shown);
    expect(desktop).toBeDefined();
    desktop!.emit('click');
    expect(sentOn('event:shell:navigate')).toEqual([{ page: notice.action }]);

    expect((await value<ConnectionSummary>(s, 'connection:get')).demoRunning).toBe(true);
    s.app.emit('before-quit');
    // The demo tenant runs inside the core: it stops only when the core is closed.
    await vi.waitFor(async () => expect((await value<ConnectionSummary>(s, 'connection:get')).demoRunning).toBe(false));
    expect(s.trays[0]!.gone).toBe(true);
  });
});
