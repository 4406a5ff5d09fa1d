/**
 * The built preload (out/preload/index.cjs), run as a sandboxed renderer runs it: `window.api` is exactly `invoke`
 * and `on`, only contract channels cross, and `on` returns an unsubscribe.
 */
import { describe, expect, it } from 'vitest';
import type { Api } from '../../shared/ipc';
import { eventChannels, requestChannels } from '../../shared/ipc-channels';
import { runBuiltPreload } from './load-shell';
import { createPreloadStandIn } from './preload-stand-in';

function loadPreload() {
  const electron = createPreloadStandIn();
  const { required } = runBuiltPreload(electron.module);
  expect(electron.exposed.map((e) => e.key)).toEqual(['api']);
  return { ...electron, required, api: electron.exposed[0]!.api as Api };
}

describe('the built preload', () => {
  it('needs nothing a sandboxed preload lacks, and exposes exactly invoke and on under api', () => {
    const { api, required } = loadPreload();
    expect([...new Set(required)]).toEqual(['electron']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.on).toBe('function');
  });

  it('forwards every contract request to its prefixed channel and nothing else', async () => {
    const { api, invoked } = loadPreload();
    const invoke = api.invoke as (channel: string, args?: unknown) => Promise<unknown>;
    for (const channel of requestChannels) {
      expect(await invoke(channel, { probe: channel })).toEqual({ ok: true, value: { answeredOn: `api:${channel}` } });
    }
    expect(invoked).toEqual(requestChannels.map((channel) => ({ channel: `api:${channel}`, args: [{ probe: channel }] })));

    for (const foreign of ['api:app:getInfo', 'electron-store-get-data', '__ELECTRON_LOG__', 'app:getinfo']) {
      expect(await invoke(foreign)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
    expect(invoked).toHaveLength(requestChannels.length);
  });

  it('delivers contract events without Electron’s event object, stops after unsubscribe, and refuses other names', () => {
    const { api, ipcRenderer } = loadPreload();
    const on = api.on as (event: string, listener: (payload: unknown) => void) => () => void;
    for (const event of eventChannels) {
      const received: unknown[][] = [];
      const unsubscribe = on(event, (...args) => received.push(args));
      expect(ipcRenderer.listenerCount(`event:${event}`)).toBe(1);
      ipcRenderer.emit(`event:${event}`, { sender: 'ipc-renderer-event' }, { n: 1 });
      unsubscribe();
      expect(ipcRenderer.listenerCount(`event:${event}`)).toBe(0);
      ipcRenderer.emit(`event:${event}`, { sender: 'ipc-renderer-event' }, { n: 2 });
      expect(received).toEqual([[{ n: 1 }]]);
    }
    for (const foreign of ['event:sync:progress', 'electron-store-get-data', 'ELECTRON_BROWSER_WINDOW_ALERT']) {
      expect(() => on(foreign, () => {})).toThrow(/Unknown event/);
      expect(ipcRenderer.eventNames()).toEqual([]);
    }
  });
});
