import type { AppErrorShape } from '../../shared/errors';
import type { Api, EventChannel, EventPayloads, RequestArgs, RequestChannel, RequestResults } from '../../shared/ipc';
import { createHttpApi } from './http-api';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a normal browser, where the browser host's HTTP API stands in. */
    readonly api?: Api;
  }
}

/** A failed request, with the stable code the UI branches on. */
export class ApiError extends Error implements AppErrorShape {
  readonly code: string;
  readonly detail?: string;
  constructor(shape: AppErrorShape) {
    super(shape.message);
    this.code = shape.code;
    if (shape.detail !== undefined) this.detail = shape.detail;
  }
}

const api: Api = window.api ?? createHttpApi();

/** Calls a request channel and returns its value, or throws an `ApiError` with the service's code. */
export async function call<C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<RequestResults[C]> {
  const envelope = await api.invoke(channel, args);
  if (!envelope.ok) throw new ApiError(envelope.error);
  return envelope.value;
}

/** Listens to a contract event; returns the unsubscribe function. */
export function on<E extends EventChannel>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
  return api.on(event, listener);
}
