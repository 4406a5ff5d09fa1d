import type { Page } from '@playwright/test';

/**
 * A controlled time for the expiry specs: the host's services and the page both start at 09:30 in Auckland, where
 * the date is a day ahead of UTC's at that hour, so day counts follow the admin's zone and never the minute the test
 * runs. 14½ hours before local midnight: no day boundary can pass while a spec runs.
 *
 * The day is the latest one whose 09:30 has already passed: the demo tenant's HTTPS certificate is dated by the
 * same clock and checked by Node against the real time, so the start may not lie ahead of it.
 */
export const fixedZone = 'Pacific/Auckland';

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return asUtc - Math.floor(at.getTime() / 60_000) * 60_000;
}

/** 09:30 in `timeZone` on the latest day where that moment is not in the future. */
function lastMorning(timeZone: string, real: Date): Date {
  for (let back = 0; back < 3; back++) {
    const day = new Date(real.getTime() - back * 86_400_000);
    const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .format(day)
      .split('-')
      .map(Number) as [number, number, number];
    const wall = Date.UTC(y, m - 1, d, 9, 30);
    const at = new Date(wall - zoneOffsetMs(new Date(wall), timeZone));
    if (at.getTime() <= real.getTime()) return at;
  }
  throw new Error('no 09:30 found in the last three days');
}

/** The instant both clocks start at. */
export const fixedNow = lastMorning(fixedZone, new Date());

/** `test.use(...)` for a spec on the fixed clock: the host's clock and zone, and the page's zone. */
export const onFixedClock = {
  hostEnv: { ENTRA_SYNC_TEST_NOW: fixedNow.toISOString(), TZ: fixedZone },
  timezoneId: fixedZone,
} as const;

/** Starts the page's clock at {@link fixedNow}; call before the first `goto`. */
export async function installFixedClock(page: Page): Promise<void> {
  await page.clock.install({ time: fixedNow });
}

/** The calendar date `days` after {@link fixedNow} in the fixed zone, as the app prints it (YYYY-MM-DD). */
export function dateAfter(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: fixedZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(fixedNow.getTime() + days * 86_400_000),
  );
}
