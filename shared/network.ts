import { z } from 'zod';
import { endpointProblem } from './clouds';

/**
 * Settings → Network: how the one HTTP transport reaches Microsoft (proxy, an extra trusted CA certificate) and the
 * endpoints of a custom cloud. The `network` section of the settings file; the rules below are checked before
 * anything is saved (the services add what needs Node: that the certificate parses and has not expired).
 */

export const proxyModes = ['none', 'system', 'manual'] as const;
export type ProxyMode = (typeof proxyModes)[number];

/** Whether a proxy address may be used: `http://` or `https://`, a host, no user name or password, no path. */
export function proxyUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return `“${value}” is not a proxy address: write it as http://proxy.example.com:8080.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `The proxy address must start with http:// or https:// (it starts with ${url.protocol}//).`;
  }
  if (!url.hostname) return 'The proxy address needs a host name, such as http://proxy.example.com:8080.';
  if (url.username || url.password) {
    return 'The proxy address must not contain a user name or password: the settings file is not the place for them.';
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return 'The proxy address is only a scheme, host and port (such as http://proxy.example.com:8080), without a path.';
  }
  return undefined;
}

const bypassPattern = /^(\*|(\*\.|\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?)$/i;
const ipv4Pattern = /^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/;

/** Whether one bypass entry makes sense: a host (`intranet.example.com`), a domain (`.example.com`, `*.example.com`), an IP address or `*`. */
export function bypassEntryProblem(entry: string): string | undefined {
  if (entry.includes('/') || entry.includes('://')) {
    return `“${entry}” is an address, not a host: write only the host name, such as intranet.example.com.`;
  }
  if (!bypassPattern.test(entry) && !ipv4Pattern.test(entry)) {
    return `“${entry}” is not a host name, a domain such as .example.com, an IP address or *.`;
  }
  return undefined;
}

/** Splits a typed bypass list (commas, spaces or new lines) into entries, trimmed and without repeats. */
export function splitBypass(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,;\s]+/)
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

export const proxySettingsSchema = z.object({
  /** `system`: the environment's HTTPS_PROXY / NO_PROXY (what the app did before this setting existed). */
  mode: z.enum(proxyModes).default('system'),
  url: z.string().default(''),
  bypass: z.array(z.string()).default([]),
});

export const customEndpointsSchema = z.object({
  authorityHost: z.string(),
  graphBaseUrl: z.string(),
  /** The token audience; empty: global Graph's, as `customCloud` in shared/clouds.ts assumes. */
  graphResource: z.string().default(''),
});
export type CustomEndpoints = z.infer<typeof customEndpointsSchema>;

/** The `network` section as stored. The CA certificate is public (no secret): it is kept as PEM text. */
export const networkSettingsSchema = z.object({
  proxy: proxySettingsSchema.prefault({}),
  caCertPem: z.string().optional(),
  /** Used when the connection's cloud is `custom` (and it is not the demo tenant). */
  customEndpoints: customEndpointsSchema.optional(),
});
export type NetworkSettings = z.infer<typeof networkSettingsSchema>;

/** What Settings → Network sends to save or to test, structurally (the contract's request schema). */
export const networkInputShape = z
  .object({
    proxy: z
      .object({
        mode: z.enum(proxyModes),
        url: z.string().trim().max(500).default(''),
        bypass: z.array(z.string().trim().toLowerCase().min(1).max(255)).max(100).default([]),
      })
      .strict(),
    /** PEM text (pasted, or read from a file by the renderer); empty or absent: no extra certificate. */
    caCertPem: z.string().max(200_000).optional(),
    customEndpoints: z
      .object({
        authorityHost: z.string().trim().max(500),
        graphBaseUrl: z.string().trim().max(500),
        graphResource: z.string().trim().max(500).default(''),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The same, with every rule checked: the services run it before saving or testing, and say what is wrong. */
export const networkInputSchema = networkInputShape.superRefine((value, ctx) => {
  if (value.proxy.mode === 'manual') {
    const problem = value.proxy.url
      ? proxyUrlProblem(value.proxy.url)
      : 'Enter the proxy address, such as http://proxy.example.com:8080.';
    if (problem) ctx.addIssue({ code: 'custom', path: ['proxy', 'url'], message: problem });
  }
  value.proxy.bypass.forEach((entry, i) => {
    const problem = bypassEntryProblem(entry);
    if (problem) ctx.addIssue({ code: 'custom', path: ['proxy', 'bypass', i], message: problem });
  });
  const endpoints = value.customEndpoints;
  if (endpoints) {
    const fields = [
      ['authorityHost', 'The token host'],
      ['graphBaseUrl', 'The Microsoft Graph address'],
      ['graphResource', 'The token audience'],
    ] as const;
    for (const [field, label] of fields) {
      if (field === 'graphResource' && endpoints[field] === '') continue;
      const problem = endpointProblem(endpoints[field], label);
      if (problem) ctx.addIssue({ code: 'custom', path: ['customEndpoints', field], message: problem });
    }
  }
});
export type NetworkInput = z.input<typeof networkInputSchema>;
export type ParsedNetworkInput = z.output<typeof networkInputSchema>;

/** The extra CA certificate as the renderer sees it: who it names and when it expires, never the key material. */
export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
  /** ISO date-time; the screen formats it. */
  readonly validTo: string;
  readonly daysLeft: number;
  /** Expires within 30 days: still used, but say so. */
  readonly expiringSoon: boolean;
}

/** Settings → Network as shown. */
export interface NetworkView {
  readonly proxy: { readonly mode: ProxyMode; readonly url: string; readonly bypass: readonly string[] };
  readonly certificate?: CertificateFacts;
  /** The PEM text in use, so the form can send it back unchanged. */
  readonly caCertPem?: string;
  readonly customEndpoints?: CustomEndpoints;
  /** The connection's cloud is custom (not the demo tenant): the endpoints are used. */
  readonly endpointsInUse: boolean;
  /** The token host "Test" reaches: that of the connection's cloud (global while the demo tenant is in use). */
  readonly testHost: string;
  /** The demo tenant is in use: it runs on this computer and is reached directly, whatever these settings say. */
  readonly demo: boolean;
  /** What `system` means on this computer: the environment's proxy (scheme, host and port only) and bypass list. */
  readonly system: { readonly proxy?: string; readonly bypass: readonly string[] };
}

/** A field the admin must correct before the settings are saved or tested. */
export interface NetworkProblem {
  readonly field: 'proxy.url' | 'proxy.bypass' | 'caCertPem' | 'customEndpoints';
  readonly message: string;
}

export type NetworkTestOutcome = 'reachable' | 'proxy-failed' | 'tls-untrusted' | 'dns' | 'timeout' | 'refused' | 'failed';

/** What "Test" found, in words. */
export interface NetworkTestResult {
  readonly outcome: NetworkTestOutcome;
  /** One sentence: what happened. */
  readonly headline: string;
  /** What was tried and what to do. */
  readonly detail: string;
  /** The host that was reached or tried. */
  readonly host: string;
  /** The proxy the request went through (scheme, host and port), or absent for a direct connection. */
  readonly via?: string;
}

/** Issue path → problem field, for the messages of a failed validation. */
export function networkProblemsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): NetworkProblem[] {
  return issues.map((issue) => {
    const [first, second] = issue.path;
    const field: NetworkProblem['field'] =
      first === 'proxy'
        ? second === 'bypass'
          ? 'proxy.bypass'
          : 'proxy.url'
        : first === 'caCertPem'
          ? 'caCertPem'
          : 'customEndpoints';
    return { field, message: issue.message };
  });
}
