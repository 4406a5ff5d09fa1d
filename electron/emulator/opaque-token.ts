/**
 * Opaque paging and delta tokens: JSON state sealed with an HMAC of a per-run key, so clients cannot build or edit
 * them (Graph's skiptokens are opaque too) and a token from another run is refused.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Encodes and decodes sealed tokens. */
export interface TokenCodec {
  seal(state: object): string;
  /** The state, or undefined when the token was not made by this codec. */
  open<T>(token: string): T | undefined;
}

/** Creates a codec with a fresh random key. */
export function createTokenCodec(): TokenCodec {
  const key = randomBytes(32);
  const mac = (data: string) => createHmac('sha256', key).update(data).digest().subarray(0, 16);
  return {
    seal(state) {
      const data = Buffer.from(JSON.stringify(state)).toString('base64url');
      return `${data}.${mac(data).toString('base64url')}`;
    },
    open<T>(token: string) {
      const [data, tag] = token.split('.');
      if (!data || !tag) return undefined;
      const expected = mac(data);
      const given = Buffer.from(tag, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        return JSON.parse(Buffer.from(data, 'base64url').toString()) as T;
      } catch {
        return undefined;
      }
    },
  };
}
