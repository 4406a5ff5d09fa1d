import { createServer as createHttpServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetCheck, TargetTestReport } from '../../../shared/contract/targets';
import type { TargetProduct } from '../../../shared/targets';
import { generateLocalCertificates } from '../../emulator/certificates';
import { systemClock } from '../ports';
import { availableProducts } from './product-drivers';
import { targetTransport, testTarget } from './target-registry';
import { checkCa } from './target-test-values';

/**
 * The CA certificate pasted in the target form, against local HTTPS servers with certificates made here: every
 * certificate of a pasted bundle is trusted whatever its order, and a certificate this computer refuses is told apart
 * from a port that speaks no TLS — for every product, since they share the transport and these verdicts.
 */
type Pem = { cert: string; private: string };
const hour = 3_600_000;
const caExtensions = [
  { name: 'basicConstraints', cA: true, critical: true },
  { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
];

async function certificate(name: string, issuer: Pem | undefined, opts: { ca?: boolean; ip?: boolean; expired?: boolean }) {
  const now = Date.now();
  return (await generate([{ name: 'commonName', value: name }], {
    algorithm: 'sha256',
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(now - (opts.expired ? 48 * hour : hour)),
    notAfterDate: new Date(now + (opts.expired ? -24 * hour : 24 * hour)),
    ...(issuer ? { ca: { key: issuer.private, cert: issuer.cert } } : {}),
    extensions: opts.ca
      ? caExtensions
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: opts.ip ? [{ type: 7, ip: '127.0.0.1' }] : [{ type: 2, value: 'localhost' }] },
        ],
  } as Parameters<typeof generate>[1])) as Pem;
}

const servers: (HttpServer | HttpsServer)[] = [];
const sockets = new Set<Socket>();
async function listen(server: HttpServer | HttpsServer): Promise<string> {
  servers.push(server);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Answers Jira's server info as Jira 10 does, 401 to everything else (enough for the TLS verdict to be reached). */
const answer = (req: { url?: string }, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  if (req.url?.endsWith('/rest/api/2/serverInfo')) {
    res.end(JSON.stringify({ version: '10.3.6', versionNumbers: [10, 3, 6], deploymentType: 'Server' }));
    return;
  }
  res.statusCode = 401;
  res.end('{}');
};

let root: Pem;
let intermediate: Pem;
let signedHost: string;
let expiredHost: string;
let otherNameHost: string;
let plainHost: string;

beforeAll(async () => {
  root = await certificate('Test root CA', undefined, { ca: true });
  intermediate = await certificate('Test issuing CA', root, { ca: true });
  // The server sends its own certificate only: the intermediate must come from the pasted bundle.
  const leaf = await certificate('127.0.0.1', intermediate, { ip: true });
  const expired = await certificate('127.0.0.1', intermediate, { ip: true, expired: true });
  const otherName = await certificate('localhost', intermediate, {});
  signedHost = await listen(createHttpsServer({ key: leaf.private, cert: leaf.cert }, answer));
  expiredHost = await listen(createHttpsServer({ key: expired.private, cert: expired.cert }, answer));
  otherNameHost = await listen(createHttpsServer({ key: otherName.private, cert: otherName.cert }, answer));
  plainHost = await listen(createHttpServer(answer));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

const baseUrl = (product: TargetProduct, host: string) =>
  product === 'scim' ? `https://${host}/scim/v2` : `https://${host}/${product}`;

async function test(product: TargetProduct, host: string, caCertPem: string): Promise<TargetTestReport> {
  const transport = targetTransport({ caCertPem }, {}, 10_000);
  try {
    return await testTarget(
      { product, baseUrl: baseUrl(product, host), ...(product === 'crowd' ? { username: 'app' } : {}) },
      'not-a-real-secret',
      transport,
      systemClock,
    );
  } finally {
    await transport.close();
  }
}
const tlsOf = (report: TargetTestReport): TargetCheck | undefined => report.checks.find((c) => c.id === 'tls');
const networkCodes = ['tls-untrusted', 'tls-failed', 'unreachable'];

describe('the CA certificate pasted for a target', () => {
  // As pasted: certificates one after the other, the next BEGIN right after an END (no line break), or with CRLFs.
  const bundles = () => ({
    'root first': `${root.cert}${intermediate.cert}`,
    'intermediate first': `${intermediate.cert}${root.cert}`,
    'intermediate first, CRLF': `${intermediate.cert}\r\n${root.cert}`.replace(/\n/g, '\r\n'),
  });

  it.each(availableProducts())(
    'trusts every certificate of a bundle in any order (%s)',
    async (product) => {
      for (const [order, pem] of Object.entries(bundles())) {
        const report = await test(product, signedHost, pem);
        // The product answered over a trusted connection: whatever failed after it is not the network or TLS.
        expect(
          report.checks.map((c) => c.code).filter((c) => networkCodes.includes(c)),
          order,
        ).toEqual([]);
      }
    },
    30_000,
  );

  it('passes the TLS check of a Jira behind a root and intermediate pasted in either order', async () => {
    for (const [order, pem] of Object.entries(bundles())) {
      expect(tlsOf(await test('jira', signedHost, pem)), order).toMatchObject({ status: 'pass' });
    }
  });

  it.each(availableProducts())(
    'says a CA that did not sign the server is not its issuer, and a plain HTTP port is the wrong port (%s)',
    async (product) => {
      const unrelated = (await generateLocalCertificates()).caCertPem;
      const wrongCa = tlsOf(await test(product, signedHost, unrelated));
      expect(wrongCa).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(/is not signed by the CA certificate pasted/),
      });
      expect(wrongCa?.fix).toMatch(/Paste the certificate of the CA that issued/);
      expect(`${wrongCa?.message} ${wrongCa?.fix}`).not.toMatch(/port/);

      const plain = tlsOf(await test(product, plainHost, `${root.cert}\n${intermediate.cert}`));
      expect(plain).toMatchObject({ status: 'fail', message: expect.stringMatching(/does not answer in TLS \(HTTPS\) on port/) });
      expect(plain?.fix).toMatch(/uses the port .* serves HTTPS on/);
    },
    30_000,
  );

  it('says an expired certificate has expired and one for another name is not made out for this host', async () => {
    const bundle = `${root.cert}\n${intermediate.cert}`;
    const expired = tlsOf(await test('jira', expiredHost, bundle));
    expect(expired).toMatchObject({ status: 'fail', message: expect.stringMatching(/certificate has expired/) });
    expect(expired?.fix).toMatch(/renew/);
    const otherName = tlsOf(await test('confluence', otherNameHost, bundle));
    expect(otherName).toMatchObject({ status: 'fail', message: expect.stringMatching(/not made out for 127\.0\.0\.1/) });
    expect(otherName?.fix).not.toMatch(/port/);
  });

  it('reads every certificate of a bundle before trusting it, and says which one it cannot read', () => {
    expect(checkCa(`${root.cert}${intermediate.cert}`)).toBe(`${root.cert}${intermediate.cert}`);
    const broken = `${root.cert}\n-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n`;
    expect(() => checkCa(broken)).toThrow(/Certificate 2 of the 2 pasted could not be read/);
  });
});
