import { parseArgs } from 'node:util';
import { maskSecret, scrubSecrets } from '../../../shared/validation';
import { createRegistrationService } from '../../services/entra/registration/registration-service';
import { RegistrationError, type RegistrationProgress } from '../../services/entra/registration/registration-types';
import {
  adminEnvHelp,
  cloudAndTransport,
  deviceCodeSignIn,
  publicClientFrom,
  secretMonths,
  terminalValidate,
} from '../admin-cli';
import { ExitCode, UsageError, type CliCommand } from '../command';
import { openDataFolder } from '../data-folder';
import { forgetConnection, loadConnection, saveConnection } from '../saved-connection';

const usage = `Usage: entra-sync register --device-code [--name NAME] [--secret-months N] [--json] [--print-secret]
                          [--tenant TENANT] [--public-client-id ID] [--data-dir DIR]

"Set it up for me" from a terminal: after one administrator sign-in with a device code, creates the app
registration this app needs and stores the connection in the data folder, so that validate, expiry and sync work
without the AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET variables. Steps:
  1. the application (single tenant, NAME, notes saying what created it and when)
  2. its service principal
  3. Microsoft Graph Directory.Read.All as an application permission, with admin consent
  4. a client secret valid N months
  5. the IDs, cloud and endpoints stored (the secret in the vault), then a live test, retried while Entra replicates
The sign-in asks for Application.ReadWrite.All (to create the application and its secret) and
AppRoleAssignment.ReadWrite.All (to grant the consent); granting it needs a Global Administrator or a Privileged
Role Administrator (an Application Administrator is not enough). An application of the same NAME created by this
app before is reused (a new secret is added), never duplicated. When a step fails, what was created is removed.

  --device-code          sign in with a device code (instructions on stderr); the only way in a terminal
  --name NAME            application name (default "Entra Sync Assistant")
  --secret-months N      secret lifetime, 1–24 months (default 12; the portal's custom lifetime stops at 24)
  --json                 print {"tenantId","clientId","appObjectId","reused","secretExpiresAt"}
  --print-secret         also print the client secret (with a warning); otherwise it is never printed
  --tenant TENANT        sign in to this tenant (id or domain; default: the tenant of the account)
  --public-client-id ID  the organisation's own public client registration to sign in with ("Allow public client
                         flows" on); default the Microsoft Azure CLI's first-party client (no registration needed,
                         but Conditional Access may block it)
  --data-dir DIR         the data folder to store the connection in (default: the app's)

${adminEnvHelp}

Exit status: 0 created and tested, 1 a step failed (what was created is removed), 2 usage error.`;

/** `entra-sync register`: creates the app registration after a device-code sign-in and saves the connection. */
export const registerCommand: CliCommand = {
  name: 'register',
  summary: 'create the app registration, permission, consent and secret after one admin sign-in (device code)',
  usage,
  async run(argv, io) {
    let values: {
      'device-code'?: boolean;
      name?: string;
      'secret-months'?: string;
      json?: boolean;
      'print-secret'?: boolean;
      tenant?: string;
      'public-client-id'?: string;
    };
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: {
          'device-code': { type: 'boolean' },
          name: { type: 'string' },
          'secret-months': { type: 'string' },
          json: { type: 'boolean' },
          'print-secret': { type: 'boolean' },
          tenant: { type: 'string' },
          'public-client-id': { type: 'string' },
        },
        strict: true,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values['device-code'] !== true) {
      throw new UsageError('register needs --device-code: a terminal signs the administrator in with a device code.');
    }
    const months = secretMonths(values['secret-months']);
    const publicClient = publicClientFrom(values['public-client-id']);
    const { cloud, caCertPem, transport } = cloudAndTransport(io);
    const folder = openDataFolder(io);
    const secrets: string[] = [];
    const err = (text: string) => io.stderr(scrubSecrets(text, secrets));
    // A connection saved before is put back if this run is undone after replacing it.
    const previous = await loadConnection(folder.dir, folder.vault).catch(() => undefined);
    if (previous) secrets.push(previous.secret);
    const service = createRegistrationService({
      cloud,
      transport,
      validate: terminalValidate(transport),
      store: {
        save: (c) =>
          saveConnection(
            folder.dir,
            folder.vault,
            {
              version: 1,
              cloud: { authorityHost: cloud.authorityHost, graphBaseUrl: cloud.graphBaseUrl, graphResource: cloud.graphResource },
              tenantId: c.tenantId,
              clientId: c.clientId,
              appObjectId: c.appObjectId,
              secretKeyId: c.secretKeyId,
              secretExpiresAt: c.secretExpiresAt,
              ...(caCertPem ? { caCertPem } : {}),
              savedAt: new Date().toISOString(),
            },
            c.secret,
          ),
        forget: async () => {
          await forgetConnection(folder.dir, folder.vault);
          if (previous) await saveConnection(folder.dir, folder.vault, previous.record, previous.secret);
        },
      },
    });
    const request = {
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(months ? { secretMonths: months } : {}),
      ifExists: 'reuse' as const,
    };
    try {
      const plan = service.plan(request);
      err(`Will create in ${cloud.label}:\n`);
      for (const [i, s] of plan.steps.entries()) err(`  ${i + 1}. ${s.title}: ${s.detail}\n`);
      err('The sign-in asks for these delegated permissions:\n');
      for (const p of plan.delegatedPermissions) err(`  ${p.scope}: ${p.why}\n`);
      const session = await deviceCodeSignIn(io, {
        cloud,
        transport,
        publicClient,
        ...(values.tenant ? { tenant: values.tenant } : {}),
      }).catch((error: unknown) => {
        if (error instanceof RegistrationError) {
          err(`Sign-in failed: ${error.failure.message}\n  Fix: ${error.failure.fix}\n`);
          return undefined;
        }
        throw error;
      });
      if (!session) return ExitCode.failed;
      err(`Signed in as ${session.username} (tenant ${session.tenantId}).\n`);
      try {
        // Ctrl+C stops the steps before their next write; what was created by then is removed below.
        const stop = new AbortController();
        void io.stopSignal.then(() => stop.abort());
        const result = await service.run(session, request, { signal: stop.signal, onProgress: (p) => err(progressLine(p)) });
        secrets.push(result.secret);
        const summary = {
          tenantId: result.tenantId,
          clientId: result.clientId,
          appObjectId: result.appObjectId,
          reused: result.reused,
          secretExpiresAt: result.secretExpiresAt,
        };
        if (values['print-secret']) {
          io.stderr(
            'WARNING: the client secret is printed below. Anyone who reads it can sign in as this application; do not keep it in logs or shell history.\n',
          );
        }
        if (values.json) {
          io.stdout(`${JSON.stringify(values['print-secret'] ? { ...summary, clientSecret: result.secret } : summary)}\n`);
        } else {
          io.stdout(
            `${result.reused ? 'Reused' : 'Created'} application ${result.clientId} in tenant ${result.tenantId}; secret ${maskSecret(result.secret)} valid until ${result.secretExpiresAt.slice(0, 10)}.\n` +
              `The connection is saved in ${folder.dir}: 'entra-sync validate' and 'entra-sync sync' use it.\n`,
          );
          if (values['print-secret']) io.stdout(`Client secret: ${result.secret}\n`);
        }
        return ExitCode.ok;
      } catch (error) {
        if (!(error instanceof RegistrationError)) throw error;
        if (error.failure.code === 'cancelled') err(`${error.failure.message}\n`);
        else err(`Step '${error.failure.step}' failed: ${error.failure.message}\n  Fix: ${error.failure.fix}\n`);
        if (error.failure.code !== 'already-exists' && error.created.appObjectId) {
          err('Removing what was created…\n');
          await service.undo(session, error.created).then(
            () => err('Removed: nothing of this run is left in the tenant.\n'),
            (undoError: unknown) =>
              err(
                `Could not remove everything (${undoError instanceof Error ? undoError.message : String(undoError)}): delete application ${error.created.appId} in the portal.\n`,
              ),
          );
        }
        return ExitCode.failed;
      } finally {
        await session.close();
      }
    } finally {
      await transport.close();
    }
  },
};

function progressLine(p: RegistrationProgress): string {
  const mark = { running: '....', done: 'DONE', waiting: 'WAIT', failed: 'FAIL', skipped: 'SKIP' }[p.status];
  return `[${mark}] ${p.message}\n`;
}
