/**
 * The values of one connection test of the target admin, checked before any request: the URL of a product, the CA
 * certificate as PEM, the fingerprint a passed test is remembered by (a hash, so no token is kept), and what of a
 * report a target keeps as its last test.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { TargetTestReport } from '../../../shared/contract/targets';
import { normaliseTargetUrl, targetUrlProblem } from '../../../shared/contract/targets';
import { AppError } from '../../../shared/errors';
import type { TargetProduct } from '../../../shared/targets';

/** What one connection test is about: typed values, or the saved ones for what was not typed. */
export interface TestValues {
  readonly product: TargetProduct;
  readonly baseUrl: string;
  readonly username?: string;
  readonly token: string;
  readonly ca: string | undefined;
  readonly scimPreset?: 'generic' | 'atlassian-cloud';
}

export const fingerprint = (values: TestValues) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        values.product,
        values.baseUrl,
        values.username ?? '',
        values.token,
        values.ca ?? '',
        values.scimPreset ?? '',
      ]),
    )
    .digest('hex');

export function checkUrl(value: string, product: TargetProduct): string {
  const problem = targetUrlProblem(value, product);
  if (problem) throw new AppError('target-url-invalid', problem);
  return normaliseTargetUrl(value);
}

/**
 * Each certificate of a pasted PEM, as its own block with its own line ends: Node's `ca` reads a concatenated bundle
 * only when every END line is followed by a line break, so a bundle pasted without one trusted its first certificate
 * only. The text as it is when it holds no BEGIN CERTIFICATE block (Node then says what is wrong with it).
 */
export function pemCertificates(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  return blocks ? blocks.map((b) => `${b.replace(/\r\n?/g, '\n')}\n`) : [pem];
}

export function checkCa(pem: string | undefined): string | undefined {
  if (pem === undefined || pem.trim() === '') return undefined;
  const blocks = pemCertificates(pem);
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new AppError(
        'target-ca-invalid',
        `${blocks.length > 1 ? `Certificate ${i + 1} of the ${blocks.length} pasted` : 'The CA certificate'} could not be read. Paste the whole PEM text, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----, or leave the field empty.`,
      );
    }
  });
  return pem.trim();
}

/** An address as a product sees it: scheme, host (lower case, no default port) and path without trailing slashes. */
export function addressKey(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl.trim().replace(/\/+$/, '');
  }
}

export function lastTestOf(report: TargetTestReport) {
  return {
    at: report.at,
    ok: report.ok,
    product: report.product,
    version: report.version,
    problems: report.checks.filter((c) => c.status === 'fail' || c.status === 'warning').map((c) => c.id),
  };
}
