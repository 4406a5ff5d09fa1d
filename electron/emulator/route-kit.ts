/**
 * Shared shapes of the Graph route tables: what a handler reads, what it returns, and small helpers.
 */
import type { AppRegistration } from './app-registration';
import type { DeltaContext } from './delta';
import type { Directory } from './directory';
import { GraphFailure } from './graph-errors';
import type { TokenCodec } from './opaque-token';
import type { Access } from './permissions';

/** Everything a route handler may read. */
export interface RouteContext {
  readonly directory: Directory;
  readonly app: AppRegistration;
  readonly tenantId: string;
  readonly tenantName: string;
  readonly tenantDomain: string;
  readonly params: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly roles: readonly string[];
  /** e.g. https://127.0.0.1:1234/v1.0 */
  readonly versionBase: string;
  readonly codec: TokenCodec;
  readonly delta: Omit<DeltaContext, 'directory' | 'codec' | 'versionBase' | 'now'>;
  readonly now: Date;
}

/** A route's answer body (JSON, or text for $count) and extra headers. */
export interface RouteResult {
  readonly body: unknown;
  readonly text?: boolean;
  readonly headers?: Record<string, string>;
}

/** One route of the table. */
export interface Route {
  readonly name: string;
  readonly pattern: RegExp;
  readonly access: Access;
  readonly family: 'users' | 'members' | 'transitiveMembers' | 'applications' | 'other';
  handle(ctx: RouteContext, match: RegExpMatchArray): RouteResult;
}

export const notFound = (id: string) =>
  new GraphFailure(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const context = (ctx: RouteContext, fragment: string) =>
  `${ctx.versionBase.replace(/\/v1\.0$/, '')}/v1.0/$metadata#${fragment}`;
