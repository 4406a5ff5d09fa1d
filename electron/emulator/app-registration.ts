/**
 * The demo application: its registration (appId, object id), service principal, client secrets and the Graph
 * application permissions granted with admin consent. Secret values are kept in memory only.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { GRAPH_APP_ROLES } from './permissions';

/** A client secret as stored (the value never leaves except from `addSecret`). */
export interface StoredSecret {
  readonly keyId: string;
  readonly displayName: string;
  readonly hint: string;
  readonly startDateTime: string;
  endDateTime: string;
  readonly value: string;
}

/** A new secret, as `addPassword` returns it: the only time the value is shown. */
export interface NewSecret {
  readonly keyId: string;
  readonly secretText: string;
  readonly hint: string;
  readonly displayName: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
}

/** Outcome of checking a presented client secret. */
export type SecretCheck = 'ok' | 'expired' | 'wrong' | 'missing';

const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** A secret value in the current Entra format: 40 characters with `8Q~` at positions 4–6. */
export function generateSecretValue(): string {
  const bytes = randomBytes(37);
  const chars = Array.from(bytes, (b) => SECRET_CHARS[b % SECRET_CHARS.length]).join('');
  return `${chars.slice(0, 3)}8Q~${chars.slice(3, 37)}`;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** The app registration and its service principal. */
export class AppRegistration {
  enabled = true;
  grantedRoles: string[] = [];
  readonly secrets: StoredSecret[] = [];

  constructor(
    readonly appId: string,
    readonly objectId: string,
    readonly servicePrincipalId: string,
    readonly displayName: string,
    private readonly newId: () => string,
  ) {}

  /** Creates a secret valid from `now` for `days` days; `hint` forces its first 3 characters (shared-hint tests). */
  addSecret(now: Date, days: number, displayName = 'Entra Sync Assistant', hint?: string): NewSecret {
    if (hint !== undefined && !/^[A-Za-z0-9._~-]{3}$/.test(hint)) throw new Error('A secret hint is 3 secret characters.');
    const generated = generateSecretValue();
    const value = hint === undefined ? generated : `${hint}${generated.slice(3)}`;
    const secret: StoredSecret = {
      keyId: this.newId(),
      displayName,
      hint: value.slice(0, 3),
      startDateTime: iso(now),
      endDateTime: iso(new Date(now.getTime() + days * 86_400_000)),
      value,
    };
    this.secrets.push(secret);
    const { value: secretText, ...rest } = secret;
    return { ...rest, secretText };
  }

  /** Moves a secret's end date into the past (one second before `now`). */
  expireSecret(keyId: string, now: Date): boolean {
    const secret = this.secrets.find((s) => s.keyId === keyId);
    if (!secret) return false;
    secret.endDateTime = iso(new Date(now.getTime() - 1000));
    return true;
  }

  /** Deletes a secret. */
  removeSecret(keyId: string): boolean {
    const at = this.secrets.findIndex((s) => s.keyId === keyId);
    if (at < 0) return false;
    this.secrets.splice(at, 1);
    return true;
  }

  /** Checks a presented secret value in constant time per candidate. */
  checkSecret(presented: string | undefined, now: Date): SecretCheck {
    if (!presented) return 'missing';
    const given = Buffer.from(presented);
    for (const s of this.secrets) {
      const stored = Buffer.from(s.value);
      if (stored.length === given.length && timingSafeEqual(stored, given)) {
        return Date.parse(s.endDateTime) <= now.getTime() ? 'expired' : 'ok';
      }
    }
    return 'wrong';
  }

  /** Grants application permissions (admin consent), by name; unknown names are refused. */
  grant(permissions: readonly string[]): void {
    for (const p of permissions) {
      if (!(p in GRAPH_APP_ROLES)) throw new Error(`Unknown Graph application permission '${p}'.`);
      if (!this.grantedRoles.includes(p)) this.grantedRoles.push(p);
    }
  }

  /** Revokes some or (no argument) all granted permissions. */
  revoke(permissions?: readonly string[]): void {
    this.grantedRoles = permissions ? this.grantedRoles.filter((r) => !permissions.includes(r)) : [];
  }

  /** The `passwordCredentials` Graph shows: no values, `secretText` always null. */
  passwordCredentials(): Record<string, unknown>[] {
    return this.secrets.map(({ value: _v, ...s }) => ({ customKeyIdentifier: null, ...s, secretText: null }));
  }
}
