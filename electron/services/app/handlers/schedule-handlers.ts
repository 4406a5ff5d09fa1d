import type { ScheduleResults } from '../../../../shared/contract/schedule';
import type { ScheduleServices } from '../../schedule/schedule-services';
import type { AppContext } from '../app-context';
import type { FeatureHandlers } from '../feature-handlers';

/** Scheduled syncs, secret-expiry reminders and the guided rotation (shared/contract/schedule.ts). */
export function scheduleHandlers(_ctx: AppContext, services: ScheduleServices): FeatureHandlers<keyof ScheduleResults> {
  const { scheduler, reminders, rotation } = services;
  return {
    'schedule:get': async () => scheduler.status(),
    'schedule:save': async (input) => scheduler.save(input),
    'schedule:preview': async ({ cron, timeZone }) => scheduler.preview(cron, timeZone),
    'schedule:pause': async () => scheduler.pause(),
    'schedule:resume': async () => scheduler.resume(),
    'schedule:setStartAtLogin': async ({ enabled }) => scheduler.setStartAtLogin(enabled),
    'reminders:get': async () => reminders.status(),
    'reminders:snooze': async () => reminders.snooze(),
    'rotation:get': async () => rotation.info(),
    'rotation:replace': async ({ secret }) => rotation.replace(secret),
    'rotation:confirmOldDeleted': async () => rotation.confirmOldDeleted(),
    'rotation:demoNewSecret': async ({ days }) => rotation.demoNewSecret(days),
  };
}
