import { expiryWarningDays, scrubSecrets, type SecretExpiry } from '../../../shared/validation';
import { checkSecretExpiryOnly } from '../../services/entra/expiry-check';
import { daysLeftText, formatDay } from '../../services/entra/secret-expiry';
import { hasExpired } from '../../services/schedule/calendar';
import { type CliCommand } from '../command';
import { openTarget, parseTargetArgs } from './validate';

const usage = `Usage: entra-sync expiry [--json] [--demo] [--timeout SECONDS]

Prints when the client secret in use expires and how many days are left, read from the app registration
(matched by the secret's first 3 characters). Made for schedulers: the exit status says what to do.
Credentials come from the same environment variables as \`entra-sync validate\` (see its --help).

  --demo             read the demo tenant's secret instead of the environment's
  --json             print {"expiresAt","daysLeft","source","status","code","message","candidates"}
  --timeout SECONDS  per-request timeout (default 15)

Exit status: 0 more than ${expiryWarningDays} days left, 1 expires within ${expiryWarningDays} days,
2 expired, unknown (the app may not read its own secrets, or sign-in failed) or usage error.`;

/** Exit codes of this command (the contract for schedulers). */
export const ExpiryExit = { ok: 0, soon: 1, expiredOrUnknown: 2 } as const;

/** The exit status for an expiry at `now`: days left by the app's one rule, expired by the instant. */
export function expiryExitCode(expiry: SecretExpiry, expired: boolean, now: Date = new Date()): number {
  if (expired || expiry.daysLeft === null) return ExpiryExit.expiredOrUnknown;
  if (expiry.daysLeft < 0 || (expiry.expiresAt !== null && hasExpired(new Date(expiry.expiresAt), now)))
    return ExpiryExit.expiredOrUnknown;
  return expiry.daysLeft <= expiryWarningDays ? ExpiryExit.soon : ExpiryExit.ok;
}

export const expiryCommand: CliCommand = {
  name: 'expiry',
  summary: 'print when the client secret expires (exit 0 ok, 1 within 30 days, 2 expired or unknown)',
  usage,
  async run(argv, io) {
    const opts = parseTargetArgs(argv);
    const target = await openTarget(opts, io);
    const out = (text: string) => io.stdout(scrubSecrets(text, [target.input.secret]));
    try {
      const { expiry, outcome } = await checkSecretExpiryOnly(target.input, { transport: target.transport, host: 'terminal' });
      const expired = outcome.code === 'secret-expired';
      const code = expiryExitCode(expiry, expired);
      if (opts.json) {
        out(
          JSON.stringify({
            expiresAt: expiry.expiresAt,
            daysLeft: expiry.daysLeft,
            source: expiry.source,
            status: outcome.status,
            code: outcome.code,
            message: outcome.message,
            candidates: expiry.candidates,
          }) + '\n',
        );
        return code;
      }
      if (expiry.expiresAt && expiry.daysLeft !== null) {
        out(
          `Client secret expires ${formatDay(expiry.expiresAt)}: ${daysLeftText(expiry.daysLeft)} (source: ${expiry.source}).\n`,
        );
      } else {
        out(`Client secret expiry: ${expired ? 'expired' : 'unknown'}.\n`);
      }
      if (outcome.status !== 'pass') {
        out(`${outcome.message}\n`);
        if (outcome.fix) out(`Fix: ${outcome.fix}\n`);
        if (outcome.link) out(`${outcome.link.label}: ${outcome.link.url}\n`);
      }
      return code;
    } finally {
      await target.close();
    }
  },
};
