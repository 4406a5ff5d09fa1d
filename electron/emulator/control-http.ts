/**
 * The control API over HTTP, the same for every emulator: `POST /_control/<method>` with the per-run control token
 * as a bearer token and `{ "args": [...] }`, answered `{ result }` or `{ error: { code, message } }`.
 *
 * ```ts
 * const answer = handleControlCall(control, controlToken, method, req.headers.authorization, body, (error) => …);
 * ```
 */
import { timingSafeEqual } from 'node:crypto';

/** A control answer: an HTTP status and the JSON body. */
export interface ControlAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The status and code of an error a control method threw; default 400 `invalid`. */
export type ControlErrorStatus = (error: unknown) => { readonly status: number; readonly code: string } | undefined;

function problem(status: number, code: string, message: string): ControlAnswer {
  return { status, body: { error: { code, message } } };
}

/**
 * Calls `method` of `control` when `authorization` carries the control token (compared in constant time), with
 * the body's `args`. Only the control's own methods can be called, never one it inherits (`toString`, …).
 */
export function handleControlCall(
  control: object,
  controlToken: string,
  method: string,
  authorization: string | undefined,
  body: string,
  errorStatus: ControlErrorStatus = () => undefined,
): ControlAnswer {
  const expected = Buffer.from(`Bearer ${controlToken}`);
  const given = Buffer.from(authorization ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return problem(401, 'unauthorized', 'The control API needs the per-run control token.');
  }
  const fn = Object.hasOwn(control, method) ? (control as Record<string, unknown>)[method] : undefined;
  if (typeof fn !== 'function') return problem(404, 'unknown-method', `No control method '${method}'.`);
  let args: unknown[] = [];
  if (body.trim()) {
    try {
      const parsed = JSON.parse(body) as { args?: unknown } | null;
      if (parsed?.args !== undefined && !Array.isArray(parsed.args)) throw new Error('args must be an array');
      args = (parsed?.args as unknown[] | undefined) ?? [];
    } catch (error) {
      return problem(400, 'invalid', `Bad control body: ${(error as Error).message}`);
    }
  }
  try {
    return { status: 200, body: { result: (fn as (...a: unknown[]) => unknown).apply(control, args) ?? null } };
  } catch (error) {
    const mapped = errorStatus(error);
    return problem(mapped?.status ?? 400, mapped?.code ?? 'invalid', error instanceof Error ? error.message : String(error));
  }
}
