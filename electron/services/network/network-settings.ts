/**
 * Settings → Network in the core: the admin's values checked (the shared zod rules, then the certificate with
 * node:crypto), the certificate reduced to what the screen may show, and the transport options the settings come to.
 *
 * ```ts
 * const checked = checkNetworkInput(input, clock.now()); // { ok: true, settings, certificate } or { ok: false, problems }
 * const options = transportNetwork(settings.get().network); // { proxy, extraCaPem } for createHttpTransport
 * ```
 */
import { X509Certificate } from 'node:crypto';
import { customCloud, type Cloud } from '../../../shared/clouds';
import {
  networkInputSchema,
  networkProblemsOf,
  type CertificateFacts,
  type CustomEndpoints,
  type NetworkInput,
  type NetworkProblem,
  type NetworkSettings,
} from '../../../shared/network';
import type { ProxyChoice } from '../http/transport';

const dayMs = 86_400_000;
/** A certificate expiring within this many days is still used, with a warning. */
export const expiringSoonDays = 30;

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** One line for a distinguished name: `CN=Proxy CA, O=Contoso` (Node gives one attribute per line). */
function oneLine(name: string): string {
  return name
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(', ');
}

/** The facts of a parsed certificate, relative to `now`. */
export function factsOf(cert: X509Certificate, now: Date): CertificateFacts {
  const validTo = new Date(cert.validTo);
  const daysLeft = Math.floor((validTo.getTime() - now.getTime()) / dayMs);
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    validTo: validTo.toISOString(),
    daysLeft,
    expiringSoon: daysLeft < expiringSoonDays,
  };
}

/**
 * Parses PEM text holding one or more certificates; the facts are those of the first. A private key, text that is not
 * a certificate, or a certificate that has expired or is not yet valid is a problem, in words.
 */
export function parseCaCertificates(
  pem: string,
  now: Date,
): { ok: true; pem: string; facts: CertificateFacts } | { ok: false; message: string } {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return {
      ok: false,
      message: 'This text holds a private key. Paste only the CA certificate (BEGIN CERTIFICATE … END CERTIFICATE).',
    };
  }
  const blocks = pem.match(pemBlock) ?? [];
  if (blocks.length === 0) {
    return {
      ok: false,
      message: 'This is not a PEM certificate: it should start with -----BEGIN CERTIFICATE-----.',
    };
  }
  let first: CertificateFacts | undefined;
  for (const [i, block] of blocks.entries()) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block);
    } catch {
      return { ok: false, message: `Certificate ${i + 1} of ${blocks.length} could not be read: it is damaged or incomplete.` };
    }
    const facts = factsOf(cert, now);
    if (new Date(cert.validFrom).getTime() > now.getTime()) {
      return { ok: false, message: `The certificate “${facts.subject}” is not valid yet (from ${cert.validFrom}).` };
    }
    if (facts.daysLeft < 0 || new Date(facts.validTo).getTime() <= now.getTime()) {
      return {
        ok: false,
        message: `The certificate “${facts.subject}” expired on ${facts.validTo.slice(0, 10)}: it can no longer be trusted.`,
      };
    }
    first ??= facts;
  }
  return { ok: true, pem: blocks.join('\n') + '\n', facts: first as CertificateFacts };
}

/** The admin's values, checked: what to save, or every problem. Nothing is saved unless all of it is right. */
export function checkNetworkInput(
  input: NetworkInput,
  now: Date,
): { ok: true; settings: NetworkSettings; certificate?: CertificateFacts } | { ok: false; problems: NetworkProblem[] } {
  const parsed = networkInputSchema.safeParse(input);
  const problems: NetworkProblem[] = parsed.success ? [] : networkProblemsOf(parsed.error.issues);
  const pemText = (input.caCertPem ?? '').trim();
  const cert = pemText ? parseCaCertificates(pemText, now) : undefined;
  if (cert && !cert.ok) problems.push({ field: 'caCertPem', message: cert.message });
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const value = parsed.data;
  const manual = value.proxy.mode === 'manual';
  const settings: NetworkSettings = {
    proxy: { mode: value.proxy.mode, url: manual ? value.proxy.url : '', bypass: [...new Set(value.proxy.bypass)] },
    ...(cert?.ok ? { caCertPem: cert.pem } : {}),
    ...(value.customEndpoints && (value.customEndpoints.authorityHost || value.customEndpoints.graphBaseUrl)
      ? { customEndpoints: value.customEndpoints }
      : {}),
  };
  return { ok: true, settings, ...(cert?.ok ? { certificate: cert.facts } : {}) };
}

/** The part of the transport options Settings → Network decides. */
export interface TransportNetwork {
  readonly proxy: ProxyChoice;
  readonly extraCaPem?: string;
}

/** The transport options for saved network settings. */
export function transportNetwork(network: NetworkSettings): TransportNetwork {
  const { mode, url, bypass } = network.proxy;
  const proxy: ProxyChoice = mode === 'manual' ? { mode, url, bypass } : { mode };
  return { proxy, ...(network.caCertPem ? { extraCaPem: network.caCertPem } : {}) };
}

/** A custom cloud from the endpoints of Settings → Network (shared/clouds.ts normalises them). */
export function cloudFromEndpoints(endpoints: CustomEndpoints): Cloud {
  return customCloud({
    authorityHost: endpoints.authorityHost,
    graphBaseUrl: endpoints.graphBaseUrl,
    ...(endpoints.graphResource ? { graphResource: endpoints.graphResource } : {}),
  });
}
