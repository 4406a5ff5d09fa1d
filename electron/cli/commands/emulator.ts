import { parseArgs } from 'node:util';
import { startEmulator } from '../../emulator';
import { startJiraEmulator, type RunningJiraEmulator } from '../../emulator/jira';
import { ExitCode, UsageError, type CliCommand } from '../command';

const usage = `Usage: entra-sync emulator [--users N] [--groups M] [--seed S] [--latency-ms L] [--port P]
                          [--no-consent] [--secret-expires-in-days D] [--jira [--jira-rate N]]

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
  --jira                     also serve a demo Jira Data Center (pre-existing users, the admin groups, a read-only
                             LDAP user) and add "jira":{"url","token","caCertPath"} to the line; the token is the
                             demo Jira administrator's, for \`ENTRA_SYNC_TARGET_SECRET=… entra-sync targets add jira\`
  --jira-rate N              rate-limit the demo Jira to N requests per second (X-RateLimit-* headers, 429s)`;

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
    let values;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: {
          users: { type: 'string' },
          groups: { type: 'string' },
          seed: { type: 'string' },
          'latency-ms': { type: 'string' },
          port: { type: 'string' },
          'no-consent': { type: 'boolean' },
          'secret-expires-in-days': { type: 'string' },
          jira: { type: 'boolean' },
          'jira-rate': { type: 'string' },
        },
        strict: true,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const users = integer('users', values.users, 10, 200_000);
    const groups = integer('groups', values.groups, 0, 10_000);
    const seed = integer('seed', values.seed, 0, 2 ** 31 - 1);
    const latencyMs = integer('latency-ms', values['latency-ms'], 0, 60_000);
    const port = integer('port', values.port, 0, 65_535);
    const days = integer('secret-expires-in-days', values['secret-expires-in-days'], -3650, 3650);
    const jiraRate = integer('jira-rate', values['jira-rate'], 1, 100_000);
    if (jiraRate !== undefined && values.jira !== true) throw new UsageError('--jira-rate goes with --jira.');

    const emulator = await startEmulator({
      ...(users !== undefined ? { users } : {}),
      ...(groups !== undefined ? { groups } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(days !== undefined ? { secretExpiresInDays: days } : {}),
      consent: values['no-consent'] !== true,
    });
    let jira: RunningJiraEmulator | undefined;
    try {
      if (values.jira === true)
        jira = await startJiraEmulator(
          jiraRate !== undefined ? { rateLimit: { limit: jiraRate, fillRate: jiraRate, intervalSeconds: 1 } } : {},
        );
      const { authorityHost, graphBaseUrl, tenantId, clientId, clientSecret, secretExpiresAt, caCertPath } = emulator.info;
      const jiraInfo = jira
        ? { jira: { url: jira.info.baseUrl, token: jira.info.adminToken, caCertPath: jira.info.caCertPath } }
        : {};
      // The documented contract: exactly this one line on stdout, including the run's demo secret (and demo token).
      io.stdout(
        `${JSON.stringify({ authorityHost, graphBaseUrl, tenantId, clientId, clientSecret, secretExpiresAt, caCertPath, ...jiraInfo })}\n`,
      );
      if (jira) io.stderr(`Demo Jira serving at ${jira.info.baseUrl}.\n`);
      io.stderr(`Demo tenant serving at ${authorityHost} (tenant ${tenantId}). Stop with Ctrl+C.\n`);
      await io.stopSignal;
    } finally {
      await jira?.close();
      await emulator.close();
    }
    return ExitCode.ok;
  },
};
