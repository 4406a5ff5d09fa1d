/**
 * Starts the demo tenant: generates the dataset, the certificates and the signing key, and serves Entra's token
 * endpoint, Graph v1.0 and the control API over HTTPS on 127.0.0.1.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '../services/ports';
import { AppRegistration } from './app-registration';
import { generateLocalCertificates } from './certificates';
import { createControl, handleControlHttp, type ControlledSettings } from './control';
import { generateDataset } from './dataset';
import { Directory } from './directory';
import { FaultInjector, type FaultKind } from './faults';
import { failureText, readBody, startHttpsServer } from './https-server';
import { emptyCounters, handleGraphRequest, type GraphState } from './graph-api';
import { graphError } from './graph-errors';
import { DelegatedAuth, FIRST_PARTY_PUBLIC_CLIENTS } from './delegated-auth';
import { handleRegistrationGraph, isDelegatedRequest } from './graph-registration-routes';
import { createSigningKey } from './jwt';
import { createTokenCodec } from './opaque-token';
import { createPrng } from './prng';
import { TenantApps } from './tenant-apps';
import { ResourceUnitWindow, tenantUnitLimit } from './throttle';
import { handleTokenRequest, instanceDiscovery, jwks, openIdConfiguration, type TokenIssuerState } from './token-endpoint';
import type { EmulatorInfo, EmulatorOptions, RunningEmulator } from './types';

/** Starts an emulated tenant. Always `close()` it. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? systemClock;
  const userCount = options.users ?? 200;
  if (!Number.isInteger(userCount) || userCount < 10 || userCount > 200_000) {
    throw new RangeError('users must be an integer between 10 and 200000.');
  }
  const seed = options.seed ?? 1;
  const tenantDomain = options.tenantDomain ?? 'demo-tenant.onmicrosoft.com';
  const tenantName = 'Demo Tenant (emulated)';
  // Identities come from their own stream so they stay the same whatever the dataset size.
  const ids = createPrng(seed ^ 0x5eed);
  const tenantId = ids.guid();
  const app = new AppRegistration(ids.guid(), ids.guid(), ids.guid(), 'Entra Sync Assistant (demo)', () => ids.guid());
  // Its own stream, so the ids drawn above and after stay what they were before it existed.
  const publicClientId = createPrng(seed ^ 0x9c11).guid();
  const apps = new TenantApps(
    app,
    () => randomUUID(),
    () => clock.now(),
  );
  apps.replicationDelayMs = (options.replicationDelaySeconds ?? 0) * 1000;
  const dataPrng = createPrng(seed);
  const directory = new Directory(
    () => dataPrng.guid(),
    () => clock.now(),
  );
  generateDataset(directory, dataPrng, {
    users: userCount,
    groups: options.groups ?? 40,
    tenantDomain,
    now: clock.now(),
    ...(options.membershipScale !== undefined ? { membershipScale: options.membershipScale } : {}),
  });

  if (options.consent ?? true) app.grant(['Directory.Read.All']);
  const secret = app.addSecret(clock.now(), options.secretExpiresInDays ?? 365, 'Demo secret');

  const [certs, key] = await Promise.all([generateLocalCertificates(clock.now()), createSigningKey()]);
  const dir = await mkdtemp(join(tmpdir(), 'entra-sync-emulator-'));
  const caCertPath = join(dir, 'ca.pem');
  await writeFile(caCertPath, certs.caCertPem, { mode: 0o644 });

  const settings: ControlledSettings = {
    latencyMs: options.latencyMs ?? 0,
    throttleLimit: null,
    tokenError: undefined,
    deltaEpoch: 0,
    deltaExpiredCode: 'resyncRequired',
    counters: emptyCounters(),
    deniedAccess: [],
    registrationFailure: undefined,
    registrationCounters: {},
  };
  const faults = new FaultInjector();
  const codec = createTokenCodec();
  const controlToken = randomBytes(24).toString('base64url');
  const throttle = new ResourceUnitWindow(() => settings.throttleLimit ?? tenantUnitLimit(directory.userCount));
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
  const deltaLifetimeMs = (options.deltaTokenLifetimeDays ?? 7) * 86_400_000;

  let origin = '';
  const graphState = (authorization: string | string[] | undefined): GraphState => ({
    directory,
    app: apps.forToken(authorization),
    tenantId,
    tenantName,
    tenantDomain,
    key,
    codec,
    throttle,
    counters: settings.counters,
    now: () => clock.now(),
    graphRoot: origin,
    deniedAccess: settings.deniedAccess,
    delta: { tokenLifetimeMs: deltaLifetimeMs, epoch: settings.deltaEpoch, expiredCode: settings.deltaExpiredCode },
  });
  const issuer = (clientId: string | null): TokenIssuerState => ({
    tenantId,
    tenantDomain,
    tenantName,
    authorityHost: origin,
    app: apps.forClient(clientId) ?? app,
    key,
    tokenLifetimeSeconds,
    forcedError: settings.tokenError,
  });
  const delegated = new DelegatedAuth(
    {
      tenantId,
      tenantDomain,
      tenantName,
      authorityHost: () => origin,
      key,
      tokenLifetimeSeconds,
      publicClientIds: () => [publicClientId, ...FIRST_PARTY_PUBLIC_CLIENTS],
      now: () => clock.now(),
    },
    {
      autoApprove: options.adminAutoApprove ?? false,
      role: 'Global Administrator',
      outcome: 'ok',
      usersCanRegisterApps: true,
      deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 1,
    },
    () => randomUUID(),
  );
  const control = createControl(directory, app, faults, settings, () => clock.now(), { apps, delegated });

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: unknown) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const bump = (map: Record<string, number>, k: string) => {
    map[k] = (map[k] ?? 0) + 1;
  };

  /** Applies an injected fault; true when the request was answered (or its connection cut) by it. */
  const injectFault = (kind: FaultKind | undefined, req: IncomingMessage, res: ServerResponse): boolean => {
    if (!kind) return false;
    bump(settings.counters.faults, kind);
    if (kind === 'reset') {
      // RST on the TCP socket under TLS (the TLS socket itself cannot be reset); destroy as a fallback.
      const raw = (req.socket as Socket & { _parent?: Socket })._parent;
      if (raw && typeof raw.resetAndDestroy === 'function') raw.resetAndDestroy();
      else req.socket.destroy();
      return true;
    }
    const seconds = faults.current.retryAfterSeconds ?? 1;
    const retryAfter =
      faults.current.retryAfterForm === 'http-date'
        ? new Date(clock.now().getTime() + seconds * 1000).toUTCString()
        : String(seconds);
    const ids = { requestId: randomUUID(), clientRequestId: randomUUID(), now: clock.now() };
    const answer =
      kind === '429'
        ? graphError(ids, 429, 'TooManyRequests', 'Too many requests.', { 'retry-after': retryAfter })
        : kind === '503'
          ? graphError(ids, 503, 'serviceNotAvailable', 'Service unavailable. Try again later.', { 'retry-after': retryAfter })
          : graphError(ids, 504, 'gatewayTimeout', 'The gateway did not receive a response in time.');
    if (kind === '429') settings.counters.throttled429 += 1;
    send(res, answer.status, { 'content-type': 'application/json', ...answer.headers }, answer.body);
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, { 'content-type': 'application/json' }, { error: { code: 'too-large' } });
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path.startsWith('/_control/')) {
      const answer = handleControlHttp(control, controlToken, path.slice('/_control/'.length), req.headers.authorization, body);
      return send(res, answer.status, { 'content-type': 'application/json' }, answer.body);
    }

    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (token && method === 'POST') {
      bump(settings.counters.requests, 'POST token');
      if (injectFault(faults.next('token'), req, res)) return;
      if (settings.latencyMs > 0) await sleep(settings.latencyMs);
      const form = new URLSearchParams(body);
      const tenantSegment = decodeURIComponent(token[1] as string);
      const signedIn = delegated.token(tenantSegment, form);
      if (signedIn) return send(res, signedIn.status, signedIn.headers, signedIn.body);
      const outcome = handleTokenRequest(
        issuer(form.get('client_id') ?? basicClientId(req.headers.authorization)),
        tenantSegment,
        form,
        req.headers,
        clock.now(),
      );
      if (outcome.error) bump(settings.counters.tokenErrors, String(outcome.error));
      else settings.counters.tokensIssued += 1;
      return send(res, outcome.status, outcome.headers, outcome.body);
    }

    const delegatedFlow = delegatedRoute(method, path);
    if (delegatedFlow) {
      bump(settings.counters.requests, `${method} ${delegatedFlow}`);
      const form = new URLSearchParams(body);
      const tenantSegment = decodeURIComponent(path.split('/')[1] ?? '');
      const answer =
        delegatedFlow === 'authorize'
          ? method === 'GET'
            ? delegated.authorize(tenantSegment, url.searchParams)
            : delegated.authorizeClick(form)
          : delegatedFlow === 'devicecode'
            ? delegated.deviceCode(tenantSegment, form)
            : method === 'GET'
              ? delegated.devicePage()
              : delegated.deviceClick(form);
      return send(res, answer.status, answer.headers, answer.body);
    }

    if (path === '/v1.0' || path.startsWith('/v1.0/')) {
      if (injectFault(faults.next('graph', path.slice('/v1.0'.length)), req, res)) return;
      if (settings.latencyMs > 0) await sleep(settings.latencyMs);
      if (isDelegatedRequest(req.headers.authorization)) {
        const answer = handleRegistrationGraph(
          {
            apps,
            signIn: delegated.settings,
            key,
            tenantId,
            graphRoot: origin,
            now: clock.now(),
            failStep: settings.registrationFailure,
            counters: settings.registrationCounters,
          },
          { method, path: path.slice('/v1.0'.length) || '/', params: url.searchParams, headers: req.headers, body },
        );
        return send(res, answer.status, answer.headers, answer.body);
      }
      const answer = handleGraphRequest(graphState(req.headers.authorization), {
        method,
        path: path.slice('/v1.0'.length) || '/',
        params: url.searchParams,
        headers: req.headers,
        body,
      });
      return send(res, answer.status, answer.headers, answer.body);
    }

    const json = { 'content-type': 'application/json; charset=utf-8' };
    if (/^\/[^/]+\/v2\.0\/\.well-known\/openid-configuration$/.test(path)) {
      bump(settings.counters.requests, 'GET openid-configuration');
      return send(res, 200, json, openIdConfiguration(origin, tenantId));
    }
    if (/^\/[^/]+\/discovery\/instance$/.test(path)) {
      bump(settings.counters.requests, 'GET discovery/instance');
      return send(res, 200, json, instanceDiscovery(origin, tenantId));
    }
    if (/^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) return send(res, 200, json, jwks(key));
    if (path.startsWith('/beta/')) {
      return send(res, 400, json, { error: { code: 'BadRequest', message: 'The demo tenant serves Graph v1.0 only.' } });
    }
    return send(res, 404, json, { error: { code: 'NotFound', message: `Nothing is served at ${path}.` } });
  };

  const server = await startHttpsServer({
    certs,
    port: options.port,
    handle,
    // An emulator bug must still answer: a 500 in Graph's shape, never a hung request.
    answerFailure: (res, error) =>
      send(
        res,
        500,
        { 'content-type': 'application/json' },
        { error: { code: 'InternalServerError', message: failureText(error) } },
      ),
  });
  origin = server.origin;

  const info: EmulatorInfo = {
    authorityHost: origin,
    graphBaseUrl: origin,
    tenantId,
    tenantDomain,
    tenantName,
    clientId: app.appId,
    clientSecret: secret.secretText,
    secretId: secret.keyId,
    secretExpiresAt: secret.endDateTime,
    scope: 'https://graph.microsoft.com/.default',
    caCertPath,
    caCertPem: certs.caCertPem,
    controlUrl: `${origin}/_control`,
    controlToken,
    publicClientId,
  };

  let closed: Promise<void> | undefined;
  return {
    info,
    control,
    close: () => {
      closed ??= (async () => {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

/** Which delegated sign-in endpoint a request is for, if any. */
function delegatedRoute(method: string, path: string): 'authorize' | 'devicecode' | 'devicelogin' | undefined {
  if (/^\/[^/]+\/oauth2\/v2\.0\/authorize$/.test(path) && (method === 'GET' || method === 'POST')) return 'authorize';
  if (/^\/[^/]+\/oauth2\/v2\.0\/devicecode$/.test(path) && method === 'POST') return 'devicecode';
  if (path === '/devicelogin' && (method === 'GET' || method === 'POST')) return 'devicelogin';
  return undefined;
}

/** The client id of an HTTP Basic authorization header (client_secret_basic). */
function basicClientId(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString();
  const at = decoded.indexOf(':');
  return at < 0 ? null : decodeURIComponent(decoded.slice(0, at));
}
