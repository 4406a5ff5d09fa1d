/**
 * Graph's error envelope: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.
 */

/** A Graph answer before serialisation. */
export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON value, or a string sent as text/plain ($count). */
  body: unknown;
}

/** Identifiers of one Graph request, echoed in errors and headers. */
export interface RequestIds {
  readonly requestId: string;
  readonly clientRequestId: string;
  readonly now: Date;
}

/** Builds a Graph error answer. */
export function graphError(
  ids: RequestIds,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GraphResponse {
  return {
    status,
    headers,
    body: {
      error: {
        code,
        message,
        innerError: {
          date: ids.now.toISOString().replace(/\.\d+Z$/, ''),
          'request-id': ids.requestId,
          'client-request-id': ids.clientRequestId,
        },
      },
    },
  };
}

/** Thrown inside route handlers to answer with a Graph error. */
export class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly graphCode: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphFailure';
  }
}
