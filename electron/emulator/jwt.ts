/**
 * RS256 JSON Web Tokens with node:crypto: the emulator signs access tokens like Entra does and checks them on
 * every Graph request with the same key pair (generated per run, never stored).
 */
import { createHash, createSign, createVerify, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/** A signing key pair with its key id. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Generates a fresh RSA 2048 signing key (off the main thread: it takes about half a second). */
export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha1').update(der).digest('base64url');
  return { kid, privateKey, publicKey };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `payload` as a compact JWT. */
export function signJwt(key: SigningKey, payload: Record<string, unknown>): string {
  const header = { typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid };
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key.privateKey).toString('base64url');
  return `${input}.${signature}`;
}

/** Why a token was refused. */
export type JwtProblem = 'malformed' | 'signature' | 'expired' | 'not-yet-valid';

/** Verifies signature and lifetime; returns the payload or the problem. */
export function verifyJwt(
  key: SigningKey,
  token: string,
  nowSeconds: number,
): { ok: true; payload: Record<string, unknown> } | { ok: false; problem: JwtProblem } {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'malformed' };
  const [h, p, s] = parts as [string, string, string];
  let payload: Record<string, unknown>;
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
    payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    if (header.alg !== 'RS256' || typeof payload !== 'object' || payload === null) return { ok: false, problem: 'malformed' };
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  const valid = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key.publicKey, Buffer.from(s, 'base64url'));
  if (!valid) return { ok: false, problem: 'signature' };
  // Entra tokens allow five minutes of clock skew on nbf; exp is strict here so tests of expiry stay exact.
  if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) return { ok: false, problem: 'expired' };
  if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds + 300) return { ok: false, problem: 'not-yet-valid' };
  return { ok: true, payload };
}

/** A random base64url identifier (uti, aio-like values). */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}
