import type { z } from 'zod';
import type { Envelope } from './errors';
import { appRequests, type AppEvents, type AppResults } from './contract/app';
import { connectionRequests, type ConnectionEvents, type ConnectionResults } from './contract/connection';
import { syncRequests, type SyncEvents, type SyncResults } from './contract/sync';
import { scheduleRequests, type ScheduleEvents, type ScheduleResults } from './contract/schedule';
import { targetsRequests, type TargetsEvents, type TargetsResults } from './contract/targets';
import { networkRequests, type NetworkEvents, type NetworkResults } from './contract/network';
import { setupForMeRequests, type SetupForMeEvents, type SetupForMeResults } from './contract/setup-for-me';
import type { EventChannel, RequestChannel } from './ipc-channels';

export { eventChannels, isRequestChannel, requestChannels, type EventChannel, type RequestChannel } from './ipc-channels';
export type { AppInfo, HostKind } from './contract/app';

/**
 * The contract between the renderer and every host (Electron IPC, browser host HTTP).
 *
 * Each feature declares its requests (a zod schema per channel), results and events in `shared/contract/`;
 * this file joins them. Hosts validate every payload against `requestSchemas` before a service sees it;
 * the renderer only ever talks to `window.api`, typed by `Api`. Channel names are listed once more in
 * `ipc-channels.ts` (free of zod, for the preload); the checks below fail to compile if the two disagree.
 */
export const requestSchemas = {
  ...appRequests,
  ...connectionRequests,
  ...syncRequests,
  ...scheduleRequests,
  ...targetsRequests,
  ...networkRequests,
  ...setupForMeRequests,
} as const satisfies Record<RequestChannel, z.ZodType>;

/** What each request channel resolves to. */
export type RequestResults = AppResults &
  ConnectionResults &
  SyncResults &
  ScheduleResults &
  TargetsResults &
  NetworkResults &
  SetupForMeResults;

/** Events pushed from the main side to the renderer. */
export type EventPayloads = AppEvents &
  ConnectionEvents &
  SyncEvents &
  ScheduleEvents &
  TargetsEvents &
  NetworkEvents &
  SetupForMeEvents;

export type RequestArgs<C extends RequestChannel> = z.input<(typeof requestSchemas)[C]>;

type Mismatch<A, B> = Exclude<A, B> | Exclude<B, A>;
// Each of these fails to compile when a channel is declared in one place and not the other.
const schemasMatchNames: Mismatch<keyof typeof requestSchemas, RequestChannel> extends never ? true : never = true;
const resultsMatchNames: Mismatch<keyof RequestResults, RequestChannel> extends never ? true : never = true;
const eventsMatchNames: Mismatch<keyof EventPayloads, EventChannel> extends never ? true : never = true;
void schemasMatchNames;
void resultsMatchNames;
void eventsMatchNames;

/**
 * `window.api`: exactly the contract. `invoke` never rejects for a service error: it resolves to an
 * envelope, because Electron's IPC flattens thrown errors into strings and loses their code.
 */
export interface Api {
  invoke<C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<Envelope<RequestResults[C]>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

/** The handler side of the contract: one async function per request channel. */
export type Handlers = {
  readonly [C in RequestChannel]: (args: z.output<(typeof requestSchemas)[C]>) => Promise<RequestResults[C]>;
};

/** Validates a payload against its channel's schema; returns the parsed value or the zod issues as text. */
export function parseRequest<C extends RequestChannel>(
  channel: C,
  payload: unknown,
): { ok: true; value: z.output<(typeof requestSchemas)[C]> } | { ok: false; issues: string } {
  const result = requestSchemas[channel].safeParse(payload);
  if (result.success) return { ok: true, value: result.data as z.output<(typeof requestSchemas)[C]> };
  return {
    ok: false,
    issues: result.error.issues.map((i) => `${i.path.join('.') || '(argument)'}: ${i.message}`).join('; '),
  };
}
