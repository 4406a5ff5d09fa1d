import { BoundaryErrorCode, toErrorShape, type Envelope } from '../../../shared/errors';
import { isRequestChannel, parseRequest, type Handlers, type RequestChannel, type RequestResults } from '../../../shared/ipc';
import type { Logger } from '../ports';

/**
 * The one path from a host's transport (IPC, HTTP) to a handler: validates the channel and the payload
 * against the contract, runs the handler, and turns every outcome into an envelope. Hosts check the
 * sender before calling it.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  payload: unknown,
  logger: Logger,
): Promise<Envelope<RequestResults[RequestChannel]>> {
  if (!isRequestChannel(channel)) {
    return { ok: false, error: { code: BoundaryErrorCode.unknownChannel, message: `Unknown request '${channel}'.` } };
  }
  const parsed = parseRequest(channel, payload);
  if (!parsed.ok) {
    logger.warn('refused a request with an invalid payload', { channel, issues: parsed.issues });
    return {
      ok: false,
      error: { code: BoundaryErrorCode.invalidPayload, message: 'The request was not valid.', detail: parsed.issues },
    };
  }
  try {
    const handler = handlers[channel] as (args: unknown) => Promise<RequestResults[RequestChannel]>;
    return { ok: true, value: await handler(parsed.value) };
  } catch (error) {
    const shape = toErrorShape(error);
    if (shape.code === BoundaryErrorCode.internal) {
      logger.error('request failed', { channel, error: error instanceof Error ? error.message : String(error) });
    }
    return { ok: false, error: shape };
  }
}
