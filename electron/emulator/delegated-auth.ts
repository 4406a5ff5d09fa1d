/**
 * The delegated sign-in of the demo tenant, as msal-node's PublicClientApplication uses it: the authorize endpoint
 * (PKCE, answered with `response_mode=form_post` to the loopback redirect), the device-code endpoint with its
 * verification page and polling (`authorization_pending` until approved), and the token grants that redeem them.
 * Who signs in (a role), Conditional Access and a cancelled sign-in are settings of the control API; with
 * `autoApprove` every sign-in is approved at once, as a Global Administrator unless told otherwise.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { aadstsError, entraTimestamp } from './aadsts';
import { randomId, signJwt, type SigningKey } from './jwt';
import { GRAPH_APP_ID } from './permissions';
import { errorPage, esc, HTML, page } from './delegated-pages';
import { ROLE_TEMPLATE_IDS, type AdminRole, type SignedInUser, type SignInSettings } from './delegated-types';
import type { PlainResponse } from './token-endpoint';

export { FIRST_PARTY_PUBLIC_CLIENTS, ROLE_TEMPLATE_IDS } from './delegated-types';
export type { AdminRole, SignedInUser, SignInSettings } from './delegated-types';

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly scope: string;
  readonly user: SignedInUser;
  readonly expiresMs: number;
}

interface DeviceCode {
  readonly clientId: string;
  readonly scope: string;
  readonly userCode: string;
  readonly expiresMs: number;
  state: 'pending' | 'approved' | 'declined';
  user?: SignedInUser;
}

/** What the delegated endpoints need from the tenant. */
export interface DelegatedTenant {
  readonly tenantId: string;
  readonly tenantDomain: string;
  readonly tenantName: string;
  readonly authorityHost: () => string;
  readonly key: SigningKey;
  readonly tokenLifetimeSeconds: number;
  readonly publicClientIds: () => readonly string[];
  readonly now: () => Date;
}

const GRAPH_RESOURCES = ['https://graph.microsoft.com', GRAPH_APP_ID];
const OIDC = new Set(['openid', 'profile', 'offline_access', 'email']);
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-cache' };

/** The delegated-flow endpoints and their state. */
export class DelegatedAuth {
  private readonly codes = new Map<string, PendingCode>();
  private readonly pending = new Map<string, URLSearchParams>();
  private readonly devices = new Map<string, DeviceCode>();
  private readonly users = new Map<AdminRole, SignedInUser>();
  /** Delegated tokens issued, for tests that prove the admin tokens stay in memory. */
  tokensIssued = 0;

  constructor(
    private readonly tenant: DelegatedTenant,
    readonly settings: SignInSettings,
    private readonly newId: () => string,
  ) {}

  /** The user a sign-in is approved as (one per role, stable within a run). */
  user(role: AdminRole = this.settings.role): SignedInUser {
    let u = this.users.get(role);
    if (!u) {
      const slug = role.toLowerCase().replace(/\s+/g, '.');
      u = { id: this.newId(), upn: `${slug}@${this.tenant.tenantDomain}`, name: `Demo ${role}`, role };
      this.users.set(role, u);
    }
    return u;
  }

  private isTenant(segment: string): boolean {
    const t = segment.toLowerCase();
    return t === this.tenant.tenantId || t === this.tenant.tenantDomain.toLowerCase() || t === 'organizations' || t === 'common';
  }

  private aadsts(code: 90002 | 700016 | 53003 | 500011, tenant: string, appId?: string): PlainResponse {
    const { status, body } = aadstsError(
      code,
      { tenant, tenantName: this.tenant.tenantName, ...(appId ? { appId } : {}) },
      this.tenant.now(),
      this.tenant.authorityHost(),
    );
    return { status, headers: JSON_HEADERS, body };
  }

  private oauthError(status: number, error: string, code: number, text: string): PlainResponse {
    const traceId = randomUUID();
    const timestamp = entraTimestamp(this.tenant.now());
    return {
      status,
      headers: JSON_HEADERS,
      body: {
        error,
        error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nTimestamp: ${timestamp}`,
        error_codes: [code],
        timestamp,
        trace_id: traceId,
        correlation_id: randomUUID(),
      },
    };
  }

  /** Checks the tenant, the public client and the scopes; an error answer, or undefined when fine. */
  private refuse(tenant: string, clientId: string | null, scope: string | null): PlainResponse | undefined {
    if (!this.isTenant(tenant)) return this.aadsts(90002, tenant);
    if (!clientId || !this.tenant.publicClientIds().includes(clientId.toLowerCase())) {
      return this.aadsts(700016, tenant, clientId ?? '');
    }
    for (const s of (scope ?? '').split(/\s+/).filter((x) => x && !OIDC.has(x))) {
      const resource = s.includes('/') ? s.slice(0, s.lastIndexOf('/')) : 'https://graph.microsoft.com';
      if (!GRAPH_RESOURCES.includes(resource.toLowerCase())) return this.aadsts(500011, tenant);
    }
    return undefined;
  }

  /** `GET /{tenant}/oauth2/v2.0/authorize`: the sign-in page, or with autoApprove the answer to the redirect. */
  authorize(tenant: string, params: URLSearchParams): PlainResponse {
    const refused = this.refuse(tenant, params.get('client_id'), params.get('scope'));
    if (refused) return { status: 400, headers: HTML, body: errorPage(JSON.stringify(refused.body)) };
    const redirect = params.get('redirect_uri') ?? '';
    if (!/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/?$/.test(redirect)) {
      return { status: 400, headers: HTML, body: errorPage('AADSTS50011: The redirect URI is not a loopback address.') };
    }
    if (params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge')) {
      return { status: 400, headers: HTML, body: errorPage('AADSTS9002325: PKCE (S256) is required.') };
    }
    if (this.settings.autoApprove) return this.answerRedirect(params, this.settings.outcome !== 'cancel');
    const id = randomId(18);
    this.pending.set(id, params);
    const action = `/${esc(tenant)}/oauth2/v2.0/authorize`;
    return {
      status: 200,
      headers: HTML,
      body: page(
        `Sign in to ${esc(this.tenant.tenantName)}`,
        `<p>Signing in as <b>${esc(this.user().upn)}</b> (${esc(this.settings.role)}).</p>
<form method="post" action="${action}"><input type="hidden" name="request" value="${id}">
<button name="approve" value="yes">Sign in</button> <button name="approve" value="no">Cancel</button></form>`,
      ),
    };
  }

  /** `POST /{tenant}/oauth2/v2.0/authorize`: the admin's click on the sign-in page. */
  authorizeClick(form: URLSearchParams): PlainResponse {
    const id = form.get('request') ?? '';
    const params = this.pending.get(id);
    if (!params) return { status: 400, headers: HTML, body: errorPage('This sign-in request has expired. Start again.') };
    this.pending.delete(id);
    return this.answerRedirect(params, form.get('approve') === 'yes' && this.settings.outcome !== 'cancel');
  }

  /** The form_post page a browser submits to the loopback redirect: a code, or the cancel error. */
  private answerRedirect(params: URLSearchParams, approved: boolean): PlainResponse {
    const fields: Record<string, string> = { state: params.get('state') ?? '' };
    if (approved) {
      const code = randomBytes(24).toString('base64url');
      const user = this.user();
      this.codes.set(code, {
        clientId: (params.get('client_id') ?? '').toLowerCase(),
        redirectUri: params.get('redirect_uri') ?? '',
        challenge: params.get('code_challenge') ?? '',
        scope: params.get('scope') ?? '',
        user,
        expiresMs: this.tenant.now().getTime() + 600_000,
      });
      fields.code = code;
      fields.client_info = this.clientInfo(user);
    } else {
      fields.error = 'access_denied';
      fields.error_description = 'AADSTS50126: The user canceled the sign-in.';
    }
    const inputs = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
      .join('');
    return {
      status: 200,
      headers: HTML,
      body: page(
        'Signing in…',
        `<form method="post" action="${esc(params.get('redirect_uri') ?? '')}">${inputs}<noscript><button>Continue</button></noscript></form>
<script>document.forms[0].submit()</script>`,
      ),
    };
  }

  /** `POST /{tenant}/oauth2/v2.0/devicecode`. */
  deviceCode(tenant: string, form: URLSearchParams): PlainResponse {
    const refused = this.refuse(tenant, form.get('client_id'), form.get('scope'));
    if (refused) return refused;
    const deviceCode = randomBytes(32).toString('base64url');
    const userCode = randomBytes(6)
      .toString('base64url')
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, 'X')
      .slice(0, 8);
    const entry: DeviceCode = {
      clientId: (form.get('client_id') ?? '').toLowerCase(),
      scope: form.get('scope') ?? '',
      userCode,
      expiresMs: this.tenant.now().getTime() + 900_000,
      state: 'pending',
    };
    if (this.settings.autoApprove && !this.settings.holdDeviceCodes) this.decide(entry, this.settings.outcome !== 'cancel');
    this.devices.set(deviceCode, entry);
    const verificationUri = `${this.tenant.authorityHost()}/devicelogin`;
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        user_code: userCode,
        device_code: deviceCode,
        verification_uri: verificationUri,
        expires_in: 900,
        interval: this.settings.deviceCodeIntervalSeconds,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
      },
    };
  }

  private decide(entry: DeviceCode, approved: boolean): void {
    entry.state = approved ? 'approved' : 'declined';
    if (approved) entry.user = this.user();
  }

  /** `GET /devicelogin`: the page asking for the code. */
  devicePage(): PlainResponse {
    return {
      status: 200,
      headers: HTML,
      body: page(
        'Enter code',
        `<form method="post" action="/devicelogin"><label>Code <input name="user_code" autocomplete="off"></label>
<button name="approve" value="yes">Sign in as ${esc(this.settings.role)}</button> <button name="approve" value="no">Cancel</button></form>`,
      ),
    };
  }

  /** `POST /devicelogin`: the click approving (or cancelling) a device code. */
  deviceClick(form: URLSearchParams): PlainResponse {
    const code = (form.get('user_code') ?? '').trim().toUpperCase();
    const entry = [...this.devices.values()].find((d) => d.userCode === code && d.state === 'pending');
    if (!entry) return { status: 400, headers: HTML, body: errorPage('That code is not valid or has expired.') };
    const approved = form.get('approve') === 'yes' && this.settings.outcome !== 'cancel';
    this.decide(entry, approved);
    return {
      status: 200,
      headers: HTML,
      body: page(approved ? 'Signed in' : 'Sign-in cancelled', '<p>You can close this window.</p>'),
    };
  }

  /** The delegated grants at the token endpoint; undefined for other grant types. */
  token(tenant: string, form: URLSearchParams): PlainResponse | undefined {
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') return this.redeemCode(tenant, form);
    // msal-node sends `device_code`; RFC 8628 names it by URN. Entra takes both.
    if (grant === 'device_code' || grant === 'urn:ietf:params:oauth:grant-type:device_code')
      return this.redeemDevice(tenant, form);
    return undefined;
  }

  private redeemCode(tenant: string, form: URLSearchParams): PlainResponse {
    const refused = this.refuse(tenant, form.get('client_id'), form.get('scope'));
    if (refused) return refused;
    const code = form.get('code') ?? '';
    const entry = this.codes.get(code);
    this.codes.delete(code);
    if (!entry || entry.expiresMs < this.tenant.now().getTime() || entry.clientId !== form.get('client_id')?.toLowerCase()) {
      return this.oauthError(
        400,
        'invalid_grant',
        70008,
        'The provided authorization code or refresh token has expired or was already redeemed.',
      );
    }
    if (form.get('redirect_uri') !== entry.redirectUri) {
      return this.oauthError(
        400,
        'invalid_grant',
        50011,
        'The redirect URI does not match the one of the authorization request.',
      );
    }
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== entry.challenge) {
      return this.oauthError(
        400,
        'invalid_grant',
        501481,
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
    }
    if (this.settings.outcome === 'conditional-access') return this.aadsts(53003, tenant);
    return this.issue(entry.clientId, entry.scope, entry.user);
  }

  private redeemDevice(tenant: string, form: URLSearchParams): PlainResponse {
    const refused = this.refuse(tenant, form.get('client_id'), form.get('scope'));
    if (refused) return refused;
    const entry = this.devices.get(form.get('device_code') ?? '');
    if (!entry) return this.oauthError(400, 'invalid_grant', 70000, 'The device code is not valid.');
    if (entry.expiresMs < this.tenant.now().getTime()) {
      return this.oauthError(400, 'expired_token', 70020, 'The provided value for the input parameter device_code has expired.');
    }
    if (entry.state === 'pending') {
      return this.oauthError(
        400,
        'authorization_pending',
        70016,
        'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
      );
    }
    this.devices.delete(form.get('device_code') ?? '');
    if (entry.state === 'declined') {
      return this.oauthError(400, 'authorization_declined', 70000, 'The user declined the sign-in.');
    }
    if (this.settings.outcome === 'conditional-access') return this.aadsts(53003, tenant);
    return this.issue(entry.clientId, entry.scope, entry.user as SignedInUser);
  }

  private clientInfo(user: SignedInUser): string {
    return Buffer.from(JSON.stringify({ uid: user.id, utid: this.tenant.tenantId })).toString('base64url');
  }

  /** A delegated access token (`scp`, `wids`) and an id token for `user`. */
  private issue(clientId: string, scope: string, user: SignedInUser): PlainResponse {
    const iat = Math.floor(this.tenant.now().getTime() / 1000);
    const exp = iat + this.tenant.tokenLifetimeSeconds;
    const resourceScopes = scope.split(/\s+/).filter((s) => s && !OIDC.has(s));
    const scp = resourceScopes.map((s) => s.slice(s.lastIndexOf('/') + 1)).join(' ');
    const wids = user.role === 'User' ? [] : [ROLE_TEMPLATE_IDS[user.role]];
    const { tenantId } = this.tenant;
    const access = signJwt(this.tenant.key, {
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${tenantId}/`,
      iat,
      nbf: iat,
      exp,
      appid: clientId,
      idtyp: 'user',
      name: user.name,
      oid: user.id,
      scp,
      sub: user.id,
      tid: tenantId,
      upn: user.upn,
      uti: randomId(16),
      ver: '1.0',
      wids,
    });
    const idToken = signJwt(this.tenant.key, {
      aud: clientId,
      iss: `${this.tenant.authorityHost()}/${tenantId}/v2.0`,
      iat,
      nbf: iat,
      exp,
      name: user.name,
      oid: user.id,
      preferred_username: user.upn,
      sub: user.id,
      tid: tenantId,
      ver: '2.0',
    });
    this.tokensIssued += 1;
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        token_type: 'Bearer',
        scope: resourceScopes.join(' '),
        expires_in: this.tenant.tokenLifetimeSeconds,
        ext_expires_in: this.tenant.tokenLifetimeSeconds,
        access_token: access,
        id_token: idToken,
        client_info: this.clientInfo(user),
      },
    };
  }
}
