import { request } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { requestChannels } from '../../shared/ipc';
import { type RunningBrowserHost } from './server';
import { raw as rawTo, type RawOptions, useTestHost } from './test-host';

const world = useTestHost();
let host: RunningBrowserHost;
beforeEach(async () => {
  host = await world.start();
});

/** A raw HTTP request to this test's host, so tests can send any Host/Origin/Cookie header a hostile page could. */
const raw = (path: string, options: RawOptions = {}) => rawTo(host, path, options);

const cookieName = () => `esa_token_${new URL(host.origin).port}`;
const cookie = () => `${cookieName()}=${host.token}`;
const invoke = (channel: string, args: unknown, headers: Record<string, string> = { cookie: cookie() }) =>
  raw(`/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ args }),
  });

describe('browser host', () => {
  it('listens on loopback only and trades the URL token for a same-site cookie', async () => {
    expect(new URL(host.origin).hostname).toBe('127.0.0.1');
    const first = await raw(`/?token=${host.token}`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    expect(String(first.headers['set-cookie'])).toMatch(new RegExp(`^${cookieName()}=${host.token}; HttpOnly; SameSite=Strict`));
    const page = await raw('/', { headers: { cookie: cookie() } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>app</title>');
  });

  it('refuses every call without the token, with a wrong token, from another origin or host', async () => {
    expect((await raw('/')).status).toBe(403);
    expect((await raw('/?token=wrong')).status).toBe(403);
    expect((await invoke('app:getInfo', undefined, {})).status).toBe(403);
    expect((await invoke('app:getInfo', undefined, { cookie: `${cookieName()}=wrong` })).status).toBe(403);
    expect((await invoke('app:getInfo', undefined, { cookie: cookie(), origin: 'https://evil.example' })).status).toBe(403);
    expect((await invoke('app:getInfo', undefined, { cookie: cookie(), host: 'evil.example' })).status).toBe(403);
    const refused = await invoke(
      'onboarding:chooseModel',
      { model: 'jit', answers: {} },
      { origin: 'https://evil.example', cookie: cookie() },
    );
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect((await world.test.core.handlers['onboarding:get'](undefined)).model).toBeUndefined();
  });

  it('answers every contract channel through the shared dispatcher', async () => {
    const stateErrors: Partial<Record<string, string>> = { 'setupForMe:undo': 'no-flow', 'setupForMe:handOff': 'no-flow' };
    for (const channel of requestChannels) {
      const response = await invoke(channel, undefined);
      expect(response.status, channel).toBe(200);
      const envelope = JSON.parse(response.body) as { ok: boolean; error?: { code: string } };
      // Channels that need arguments must say the payload is invalid, never that the channel is unknown; the few that
      // take none and act on a flow in progress say there is none, in their own words.
      if (!envelope.ok) expect(envelope.error?.code, channel).toBe(stateErrors[channel] ?? 'invalid-payload');
    }
    expect(JSON.parse((await invoke('nope:nothing', undefined)).body)).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
  });

  it('validates payloads and persists a valid choice', async () => {
    const bad = JSON.parse((await invoke('onboarding:chooseModel', { model: 'all-of-them', answers: {} })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    const good = JSON.parse((await invoke('onboarding:chooseModel', { model: 'user-sync', answers: { product: 'jira' } })).body);
    expect(good).toMatchObject({ ok: true, value: { model: 'user-sync', answers: { product: 'jira' } } });
    expect((await world.test.core.handlers['onboarding:get'](undefined)).model).toBe('user-sync');
  });

  it('streams contract events to the page', async () => {
    const url = new URL('/api/events', host.origin);
    const received = new Promise<string>((resolve, reject) => {
      const req = request(url, { headers: { cookie: cookie() } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('connected') && !text.includes('event:')) {
            world.test.events.emit('app:notification', { id: 'n1', title: 'Hello', body: 'World', severity: 'info' });
          }
          if (text.includes('"World"')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    const text = await received;
    expect(text).toContain('event: app:notification');
    expect(text).toContain('"title":"Hello"');
  });
});
