import { scrubSecrets } from '../../shared/validation';
import { redactFields } from '../services/logging/line-logger';
import type { Logger } from '../services/ports';

/**
 * The terminal host writes no log file, so what the core logs as an error would be lost, and an internal error
 * would end with "the details are in the log" and nothing to look at. This logger keeps the error entries
 * (credential fields redacted, the secret scrubbed from the text) for the command to print with the failure.
 */
export function errorCauses(secrets: readonly (string | undefined)[]): { readonly logger: Logger; causes(): string[] } {
  const known = secrets.filter((s): s is string => !!s);
  const causes: string[] = [];
  const ignore = () => {};
  return {
    logger: {
      debug: ignore,
      info: ignore,
      warn: ignore,
      error(message, fields) {
        // The error's own text when the entry has one; otherwise every field, for what little context there is.
        const redacted = redactFields(fields);
        const own = ['message', 'error', 'detail'].map((k) => redacted[k]).filter((v) => v !== undefined);
        const detail = (own.length > 0 ? own : Object.values(redacted))
          .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
          .join('; ');
        causes.push(scrubSecrets(detail ? `${message}: ${detail}` : message, known));
      },
    },
    causes: () => [...causes],
  };
}
