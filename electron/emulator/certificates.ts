/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, generated at start so clients
 * can trust the emulator by its CA (NODE_EXTRA_CA_CERTS or an extra CA in the HTTP transport) without ever trusting
 * a self-signed leaf. Nothing is reused between runs; the keys live in memory only.
 */
import { generate } from 'selfsigned';

/** PEMs of a CA and of a server certificate it signed. */
export interface LocalCertificates {
  readonly caCertPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
}

/** Generates a CA (valid 30 days) and a 127.0.0.1/localhost/::1 server certificate signed by it. */
export async function generateLocalCertificates(now: Date = new Date()): Promise<LocalCertificates> {
  // Back-dated an hour so a slightly skewed clock does not see "not yet valid".
  const notBeforeDate = new Date(now.getTime() - 3_600_000);
  const notAfterDate = new Date(now.getTime() + 30 * 86_400_000);
  const ca = await generate([{ name: 'commonName', value: 'Entra Sync Assistant demo tenant CA' }], {
    algorithm: 'sha256',
    // EC keys: generated in milliseconds, where RSA 2048 costs about a second per key on these machines.
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    algorithm: 'sha256',
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { caCertPem: ca.cert, serverCertPem: server.cert, serverKeyPem: server.private };
}
