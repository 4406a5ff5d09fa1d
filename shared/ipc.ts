import { z } from 'zod';
import type { Envelope } from './errors';
import { chooserAnswersSchema, provisioningModelSchema, type OnboardingState } from './provisioning';
import { uiSettingsSchema, type SettingsNotice } from './settings';
import type { EventChannel, RequestChannel } from './ipc-channels';

export { eventChannels, isRequestChannel, requestChannels, type EventChannel, type RequestChannel } from './ipc-channels';

/**
 * The contract between the renderer and every host (Electron IPC, browser host HTTP).
 *
 * One map of request channels, each with a zod schema for its argument and a result type, and one map of
 * events that the main side pushes. Hosts validate every payload against `requestSchemas` before a
 * service sees it; the renderer only ever talks to `window.api`, typed by `Api`.
 */
export const requestSchemas = {
  'app:getInfo': z.undefined(),
  'onboarding:get': z.undefined(),
  'onboarding:saveAnswers': z.object({ answers: chooserAnswersSchema }).strict(),
  'onboarding:chooseModel': z.object({ model: provisioningModelSchema, answers: chooserAnswersSchema }).strict(),
  'onboarding:reset': z.undefined(),
  'ui:setPreferences': uiSettingsSchema.partial().strict(),
} as const satisfies Record<RequestChannel, z.ZodType>;

// Fails to compile when a schema exists for a name that is not in `requestChannels`.
type ExtraSchemas = Exclude<keyof typeof requestSchemas, RequestChannel>;
const noExtraSchemas: ExtraSchemas extends never ? true : never = true;
void noExtraSchemas;
export type RequestArgs<C extends RequestChannel> = z.input<(typeof requestSchemas)[C]>;

export type HostKind = 'electron' | 'browser';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly host: HostKind;
  readonly platform: string;
  readonly theme: 'system' | 'light' | 'dark';
  /** False when secrets can only be obfuscated on this machine (e.g. Linux without a keyring). */
  readonly secretStorageSecure: boolean;
  readonly secretStorageBackend: string;
  readonly settingsNotice?: SettingsNotice;
}

/** What each request channel resolves to. */
export interface RequestResults {
  'app:getInfo': AppInfo;
  'onboarding:get': OnboardingState;
  'onboarding:saveAnswers': OnboardingState;
  'onboarding:chooseModel': OnboardingState;
  'onboarding:reset': OnboardingState;
  'ui:setPreferences': AppInfo;
}

/** Events pushed from the main side to the renderer. */
export interface EventPayloads {
  'app:notification': {
    readonly id: string;
    readonly title: string;
    readonly body: string;
    readonly severity: 'info' | 'success' | 'warning' | 'error';
    readonly action?: string;
  };
}
// Fails to compile unless every event channel has a payload type and every payload type a channel.
type UnmatchedEvents = Exclude<keyof EventPayloads, EventChannel> | Exclude<EventChannel, keyof EventPayloads>;
const eventsMatch: UnmatchedEvents extends never ? true : never = true;
void eventsMatch;

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
