/**
 * The tray's Sync now on the built main process (out/main/index.js): like the dashboard's Sync now, it runs every
 * target (`target: 'all'`), not the embedded directory alone. Shown with the demo tenant and a demo Jira beside it.
 */
import type * as Electron from 'electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { TargetList, TargetSummary } from '../../shared/contract/targets';
import type { ElectronStandIn } from './electron-stand-in';
import { startBuiltMain } from './load-shell';

const root = mkdtempSync(join(tmpdir(), 'esa-shell-tray-'));
let shell: ElectronStandIn | undefined;
afterAll(() => {
  shell?.app.emit('before-quit');
  rmSync(root, { recursive: true, force: true });
});

async function value<T>(s: ElectronStandIn, channel: string, args?: unknown): Promise<T> {
  const handler = s.invokeHandlers.get(`api:${channel}`);
  if (!handler) throw new Error(`no handler registered for api:${channel}`);
  const senderFrame = { url: pathToFileURL(s.windows[0]!.loaded!.target).href };
  const envelope = (await handler({ senderFrame } as unknown as Electron.IpcMainInvokeEvent, args)) as
    { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.value;
}

describe('the tray', () => {
  it('Sync now syncs every target, the demo Jira too, as the dashboard does', async () => {
    const s = (shell = await startBuiltMain({ root }));
    await s.app.becomeReady();
    await value(s, 'connection:startDemo', { users: 12, groups: 2 });
    const jira = await value<TargetSummary>(s, 'targets:startDemoJira');
    const tray = s.trays[0]!;
    await vi.waitFor(() => expect(tray.menu?.template.find((i) => i.id === 'sync-now')?.enabled).toBe(true), {
      timeout: 20_000,
    });

    tray.menu!.click('sync-now');
    const lastRuns = async () =>
      Object.fromEntries((await value<TargetList>(s, 'targets:list')).targets.map((t) => [t.id, t.lastRun?.status ?? null]));
    await vi.waitFor(async () => expect(await lastRuns()).toEqual({ local: 'succeeded', [jira.id]: 'succeeded' }), {
      timeout: 40_000,
      interval: 250,
    });
    expect(s.notifications.map((n) => n.options?.title)).not.toContain('The sync could not start');
  });
});
