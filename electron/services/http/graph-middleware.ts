/**
 * Makes @microsoft/microsoft-graph-client send its requests through our {@link HttpTransport} instead of the global
 * fetch: the client's default middleware chain (auth, retry with Retry-After, redirect, telemetry) with its last
 * link, the HTTPMessageHandler, replaced by one that calls `transport.fetch`.
 */
import { MiddlewareFactory, type AuthenticationProvider, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { HttpTransport } from './transport';

/** The final middleware: performs the request with the transport's fetch. */
export class TransportMessageHandler implements Middleware {
  constructor(private readonly transport: HttpTransport) {}

  /** Sends `context.request` and stores the response on the context, as Graph's own handler does. */
  async execute(context: Context): Promise<void> {
    const { request, options } = context;
    context.response = await this.transport.fetch(request as string | Request, options as RequestInit | undefined);
  }
}

/**
 * The Graph client's default middleware chain ending in our transport. Use it as
 * `Client.initWithMiddleware({ baseUrl, customHosts: ['127.0.0.1'], middleware: graphMiddlewareChain(t, auth) })`.
 */
export function graphMiddlewareChain(transport: HttpTransport, authProvider: AuthenticationProvider): Middleware[] {
  const chain = MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
  chain[chain.length - 1] = new TransportMessageHandler(transport);
  return chain;
}
