/**
 * Errors that cross a host boundary (IPC, HTTP, terminal): a stable code the UI can act on, a message for people.
 */
export interface AppErrorShape {
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
}

/** An error with a stable `code`. Services throw it; hosts carry its shape across the boundary unchanged. */
export class AppError extends Error implements AppErrorShape {
  readonly code: string;
  readonly detail?: string;

  constructor(code: string, message: string, detail?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }

  toShape(): AppErrorShape {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

/** Codes every host uses for failures that happen before a service runs. */
export const BoundaryErrorCode = {
  invalidPayload: 'invalid-payload',
  unknownChannel: 'unknown-channel',
  forbiddenSender: 'forbidden-sender',
  internal: 'internal-error',
} as const;

/** The envelope every request returns across a boundary: values and errors are both plain data. */
export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppErrorShape };

/** Turns anything thrown into an error shape that is safe to show (no stack, no internals). */
export function toErrorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return error.toShape();
  if (isErrorShape(error)) return { code: error.code, message: error.message };
  return {
    code: BoundaryErrorCode.internal,
    message: 'Something went wrong inside the app. The details are in the log file.',
  };
}

function isErrorShape(value: unknown): value is AppErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string' &&
    !(value instanceof Error)
  );
}
