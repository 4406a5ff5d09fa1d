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
  // the connection to Entra and the setup wizard's progress (shared/contract/connection.ts)
  'connection:get',
  'connection:getSetup',
  'connection:saveDraft',
  'connection:test',
  'connection:save',
  'connection:setWeakStorage',
  'connection:setManualExpiry',
  'connection:startDemo',
  'connection:stopDemo',
  // sync, run history and the embedded directory (shared/contract/sync.ts)
  'sync:getPolicy',
  'sync:savePolicy',
  'sync:status',
  'sync:dryRun',
  'sync:runNow',
  'sync:cancel',
  'sync:runs',
  'sync:run',
  'sync:runItems',
  'sync:exportRun',
  'sync:runConflicts',
  'sync:tenantGroups',
  'directory:summary',
  'directory:users',
  'directory:groups',
  'directory:groupMembers',
  'directory:userGroups',
  'directory:export',
  'directory:reset',
  // scheduled syncs, secret-expiry reminders and the guided rotation (shared/contract/schedule.ts)
  'schedule:get',
  'schedule:save',
  'schedule:preview',
  'schedule:pause',
  'schedule:resume',
  'schedule:setStartAtLogin',
  'reminders:get',
  'reminders:snooze',
  'rotation:get',
  'rotation:replace',
  'rotation:confirmOldDeleted',
  'rotation:demoNewSecret',
  // sync targets beside the embedded directory, and the demo Jira (shared/contract/targets.ts)
  'targets:list',
  'targets:test',
  'targets:save',
  'targets:remove',
  'targets:startDemoJira',
  'targets:startDemo',
  'targets:getSync',
  'targets:saveSync',
  // Settings → Network: proxy, extra CA certificate, custom endpoints (shared/contract/network.ts)
  'network:get',
  'network:save',
  'network:test',
  // "Set it up for me" and "Rotate the secret for me" after an admin sign-in (shared/contract/setup-for-me.ts)
  'setupForMe:plan',
  'setupForMe:savePublicClient',
  'setupForMe:get',
  'setupForMe:start',
  'setupForMe:continue',
  'setupForMe:cancel',
  'setupForMe:undo',
  'setupForMe:handOff',
  'setupForMe:dismiss',
] as const;
export type RequestChannel = (typeof requestChannels)[number];

export const eventChannels = [
  // shared/contract/app.ts
  'app:notification',
  // shared/contract/connection.ts
  'connection:progress',
  'connection:changed',
  // shared/contract/sync.ts
  'sync:progress',
  'sync:finished',
  // shared/contract/schedule.ts
  'schedule:changed',
  'reminders:changed',
  'shell:navigate',
  // shared/contract/targets.ts
  'targets:changed',
  // shared/contract/setup-for-me.ts
  'setupForMe:changed',
  'setupForMe:openBrowser',
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
