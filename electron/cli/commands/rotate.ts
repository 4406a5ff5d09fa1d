import { parseArgs } from 'node:util';
import { scrubSecrets } from '../../../shared/validation';
import { RegistrationError } from '../../services/entra/registration/registration-types';
import { rotateSecret, RotationError } from '../../services/entra/registration/secret-rotation';
import { createHttpTransport } from '../../services/http/transport';
import { deviceCodeSignIn, publicClientFrom, secretMonths, terminalValidate } from '../admin-cli';
import { ExitCode, UsageError, type CliCommand } from '../command';
import { openDataFolder } from '../data-folder';
import { loadConnection, switchSavedSecret } from '../saved-connection';

const usage = `Usage: entra-sync rotate --device-code [--secret-months N] [--json] [--print-secret]
                        [--public-client-id ID] [--data-dir DIR]

"Rotate the secret for me" from a terminal, for the connection 'entra-sync register' saved in the data folder:
after an administrator sign-in with a device code, adds a new client secret, tests it live (retrying while Entra
replicates it), switches the saved secret to it, and only then removes the old one. When the new secret does not
pass, it is removed again and the old one stays in use, untouched.

  --device-code          sign in with a device code (instructions on stderr)
  --secret-months N      lifetime of the new secret, 1–24 months (default 12)
  --json                 print {"clientId","added":{"keyId","hint","expiresAt"},"removed":{"keyId","hint"}|null,"note"?}
  --print-secret         also print the new client secret (with a warning)
  --public-client-id ID  the organisation's own public client to sign in with (default: Microsoft Azure CLI's)
  --data-dir DIR         the data folder of the saved connection (default: the app's)

The admin signing in needs to own the application, or be an Application Administrator or Global Administrator.

Exit status: 0 rotated, 1 the rotation stopped (the old secret is still in use), 2 usage error.`;

/** `entra-sync rotate`: replaces the saved connection's client secret. */
export const rotateCommand: CliCommand = {
  name: 'rotate',
  summary: "replace the saved connection's client secret after an admin sign-in; the old one is removed last",
  usage,
  async run(argv, io) {
    let values: {
      'device-code'?: boolean;
      'secret-months'?: string;
      json?: boolean;
      'print-secret'?: boolean;
      'public-client-id'?: string;
    };
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: {
          'device-code': { type: 'boolean' },
          'secret-months': { type: 'string' },
          json: { type: 'boolean' },
          'print-secret': { type: 'boolean' },
          'public-client-id': { type: 'string' },
        },
        strict: true,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values['device-code'] !== true) throw new UsageError('rotate needs --device-code.');
    const months = secretMonths(values['secret-months']);
    const publicClient = publicClientFrom(values['public-client-id']);
    const folder = openDataFolder(io);
    const saved = await loadConnection(folder.dir, folder.vault).catch((error: unknown) => {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    });
    if (!saved) throw new UsageError(`No saved connection in ${folder.dir}: run 'entra-sync register --device-code' first.`);
    const secrets = [saved.secret];
    const err = (text: string) => io.stderr(scrubSecrets(text, secrets));
    const { record, cloud } = saved;
    const transport = createHttpTransport({
      ...(record.caCertPem ? { extraCaPem: record.caCertPem } : {}),
      timeoutMs: 15_000,
      env: io.env,
    });
    try {
      const session = await deviceCodeSignIn(io, { cloud, transport, publicClient, tenant: record.tenantId }).catch(
        (error: unknown) => {
          if (error instanceof RegistrationError) {
            err(`Sign-in failed: ${error.failure.message}\n  Fix: ${error.failure.fix}\n`);
            return undefined;
          }
          throw error;
        },
      );
      if (!session) return ExitCode.failed;
      try {
        const result = await rotateSecret(
          session,
          {
            cloud,
            tenantId: record.tenantId,
            clientId: record.clientId,
            currentSecret: saved.secret,
            ...(record.secretKeyId ? { currentKeyId: record.secretKeyId } : {}),
            ...(months ? { months } : {}),
          },
          {
            transport,
            validate: terminalValidate(transport),
            store: {
              switchSecret: (next) =>
                switchSavedSecret(folder.dir, folder.vault, {
                  secret: next.secret,
                  keyId: next.keyId,
                  expiresAt: next.expiresAt,
                }),
            },
            onProgress: (_step, message) => err(`${message}\n`),
          },
        );
        secrets.push(result.secret);
        if (values['print-secret'])
          io.stderr('WARNING: the new client secret is printed below; do not keep it in logs or shell history.\n');
        if (values.json) {
          const { secret: _secret, ...rest } = result;
          io.stdout(
            `${JSON.stringify({ clientId: record.clientId, ...rest, ...(values['print-secret'] ? { clientSecret: result.secret } : {}) })}\n`,
          );
        } else {
          io.stdout(
            `New secret ${result.added.hint} (keyId ${result.added.keyId}) in use, valid until ${result.added.expiresAt.slice(0, 10)}.\n` +
              (result.removed
                ? `Removed the old secret ${result.removed.hint} (keyId ${result.removed.keyId}).\n`
                : `${result.note ?? ''}\n`),
          );
          if (values['print-secret']) io.stdout(`Client secret: ${result.secret}\n`);
        }
        return ExitCode.ok;
      } catch (error) {
        if (!(error instanceof RotationError)) throw error;
        err(`Rotation stopped at '${error.step}': ${error.message}\n  Fix: ${error.fix}\n`);
        return ExitCode.failed;
      } finally {
        await session.close();
      }
    } finally {
      await transport.close();
    }
  },
};
