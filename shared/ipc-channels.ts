/**
 * The contract's channel names, free of any library so the sandboxed preload can bundle them cheaply.
 * `shared/ipc.ts` checks at compile time that its schemas cover exactly these names. Each feature adds its
 * names in its own block, next to a comment naming its contract file.
 */
export const requestChannels = [
  // app shell and the provisioning-model chooser (shared/contract/app.ts)
  'app:getInfo',
  'onboarding:get',
  'onboarding:saveAnswers',
  'onboarding:chooseModel',
  'onboarding:reset',
  'ui:setPreferences',
] as const;
export type RequestChannel = (typeof requestChannels)[number];

export const eventChannels = [
  // shared/contract/app.ts
  'app:notification',
] as const;
export type EventChannel = (typeof eventChannels)[number];

/** IPC channel prefixes: requests are `api:<channel>`, events `event:<channel>`. */
export const ipcRequestPrefix = 'api:';
export const ipcEventPrefix = 'event:';

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && (requestChannels as readonly string[]).includes(name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && (eventChannels as readonly string[]).includes(name);
}
