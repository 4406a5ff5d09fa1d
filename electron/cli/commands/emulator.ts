import { parseArgs } from 'node:util';
import { startEmulator } from '../../emulator';
import { demoTargetStarters, type StartedDemoTarget } from '../../emulator/demo-targets';
import { targetProductInfo, targetProducts, type TargetProduct } from '../../../shared/targets';
import { ExitCode, UsageError, type CliCommand } from '../command';

const usage = `Usage: entra-sync emulator [--users N] [--groups M] [--seed S] [--latency-ms L] [--port P]
                          [--no-consent] [--secret-expires-in-days D] [--admin-auto-approve]
                          [--jira] [--confluence] [--bitbucket] [--crowd] [--scim] [--PRODUCT-rate N]

Starts the demo tenant: a local emulation of Microsoft Entra's token endpoint and Microsoft Graph v1.0 over HTTPS
on 127.0.0.1, with a generated directory. Prints ONE line of JSON to stdout, then serves until SIGINT/SIGTERM:

  {"authorityHost","graphBaseUrl","tenantId","clientId","clientSecret","secretExpiresAt","caCertPath"}

graphBaseUrl is the Graph root without the version (requests go to {graphBaseUrl}/v1.0/...); the token scope is
https://graph.microsoft.com/.default. Trust the emulator with NODE_EXTRA_CA_CERTS={caCertPath}. The client secret
is a demo value generated for this run.

  --users N                  users to generate, 10..200000 (default 200)
  --groups M                 groups to generate (default 40)
  --seed S                   dataset seed (default 1): the same seed gives the same tenant
  --latency-ms L             delay added to every answer (default 0)
  --port P                   port on 127.0.0.1 (default: a free one)
  --no-consent               leave Directory.Read.All without admin consent
  --secret-expires-in-days D lifetime of the client secret (default 365; negative = already expired)
  --admin-auto-approve       approve every admin sign-in (device code, browser) at once as a Global Administrator,
                             without the demo tenant's sign-in page: for scripts of 'entra-sync register'
  --jira                     also serve a demo Jira Data Center (pre-existing users, the admin groups, a read-only
                             LDAP user) and add "jira":{"url","token","caCertPath"} to the line; the token is the
                             demo Jira administrator's, for \`ENTRA_SYNC_TARGET_SECRET=… entra-sync targets add jira\`
  --confluence, --bitbucket, --crowd, --scim
                             the same for a demo Confluence, Bitbucket, Crowd or SCIM service (Atlassian Cloud
                             flavour): "PRODUCT":{"url","username"?,"token"|"password","caCertPath"} (Bitbucket and
                             Crowd sign in with a username and password, the others with a token)
  --PRODUCT-rate N           rate-limit that demo product to N requests per second (its own headers, 429s)`;

/** The demo products this build can serve, in the order of \`targetProducts\`. */
const demoProducts = targetProducts.filter((p) => demoTargetStarters[p] !== undefined);

/** A demo product in the JSON line: a password for the products that sign in with one, a token otherwise. */
function productLine(product: TargetProduct, started: StartedDemoTarget) {
  const { baseUrl, username, secret } = started.info;
  const usesPassword = targetProductInfo[product].usernameLabel !== undefined;
  return {
    url: baseUrl,
    ...(username ? { username } : {}),
    ...(usesPassword ? { password: secret } : { token: secret }),
    caCertPath: started.caCertPath,
  };
}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not '${value}'.`);
  return n;
}

/** `entra-sync emulator`: serves the demo tenant until stopped. */
export const emulatorCommand: CliCommand = {
  name: 'emulator',
  summary: 'Serve a demo tenant (emulated Entra login + Microsoft Graph) on 127.0.0.1',
  usage,
  async run(argv, io) {
    let values: {
      users?: string;
      groups?: string;
      seed?: string;
      'latency-ms'?: string;
      port?: string;
      'no-consent'?: boolean;
      'secret-expires-in-days'?: string;
      'admin-auto-approve'?: boolean;
    } & Record<string, string | boolean | undefined>;
    try {
      values = parseArgs({
        args: [...argv],
        options: {
          users: { type: 'string' },
          groups: { type: 'string' },
          seed: { type: 'string' },
          'latency-ms': { type: 'string' },
          port: { type: 'string' },
          'no-consent': { type: 'boolean' },
          'secret-expires-in-days': { type: 'string' },
          'admin-auto-approve': { type: 'boolean' },
          ...Object.fromEntries(
            demoProducts.flatMap((p) => [
              [p, { type: 'boolean' as const }],
              [`${p}-rate`, { type: 'string' as const }],
            ]),
          ),
        },
        strict: true,
      }).values as typeof values;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const users = integer('users', values.users, 10, 200_000);
    const groups = integer('groups', values.groups, 0, 10_000);
    const seed = integer('seed', values.seed, 0, 2 ** 31 - 1);
    const latencyMs = integer('latency-ms', values['latency-ms'], 0, 60_000);
    const port = integer('port', values.port, 0, 65_535);
    const days = integer('secret-expires-in-days', values['secret-expires-in-days'], -3650, 3650);
    const flags = values as Record<string, string | boolean | undefined>;
    const wanted = demoProducts.map((product) => {
      const rateFlag = `${product}-rate`;
      const rate = integer(rateFlag, flags[rateFlag] as string | undefined, 1, 100_000);
      if (rate !== undefined && flags[product] !== true) throw new UsageError(`--${rateFlag} goes with --${product}.`);
      return { product, on: flags[product] === true, rate };
    });

    const emulator = await startEmulator({
      ...(users !== undefined ? { users } : {}),
      ...(groups !== undefined ? { groups } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(days !== undefined ? { secretExpiresInDays: days } : {}),
      consent: values['no-consent'] !== true,
      adminAutoApprove: values['admin-auto-approve'] === true,
    });
    const started = new Map<TargetProduct, StartedDemoTarget>();
    try {
      for (const { product, on, rate } of wanted) {
        if (!on) continue;
        started.set(product, await demoTargetStarters[product]!(rate !== undefined ? { ratePerSecond: rate } : {}));
      }
      const { authorityHost, graphBaseUrl, tenantId, clientId, clientSecret, secretExpiresAt, caCertPath } = emulator.info;
      const products = Object.fromEntries([...started].map(([product, s]) => [product, productLine(product, s)]));
      // The documented contract: exactly this one line on stdout, including the run's demo secret (and demo tokens).
      io.stdout(
        `${JSON.stringify({ authorityHost, graphBaseUrl, tenantId, clientId, clientSecret, secretExpiresAt, caCertPath, ...products })}\n`,
      );
      for (const [product, s] of started)
        io.stderr(`Demo ${targetProductInfo[product].shortLabel} serving at ${s.info.baseUrl}.\n`);
      io.stderr(`Demo tenant serving at ${authorityHost} (tenant ${tenantId}). Stop with Ctrl+C.\n`);
      await io.stopSignal;
    } finally {
      for (const s of started.values()) await s.close();
      await emulator.close();
    }
    return ExitCode.ok;
  },
};
