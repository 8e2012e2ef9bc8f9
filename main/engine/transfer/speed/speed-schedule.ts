import type { EngineSettings, SpeedRule } from '../../../../app/index.js';

/** Minutes since midnight of an `HH:MM` string (24:00 is 1440). */
function minutesOf(time: string): number {
  const [hours = '0', minutes = '0'] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
}

/** Whether `rule` is in force at local time `date`. */
export function ruleActive(rule: SpeedRule, date: Date): boolean {
  const now = date.getHours() * 60 + date.getMinutes();
  const start = minutesOf(rule.start);
  const end = minutesOf(rule.end);
  const day = date.getDay();
  const yesterday = (day + 6) % 7;
  const has = (d: number): boolean => rule.days.some((x) => x === d);
  if (start < end) return has(day) && now >= start && now < end;
  // Past midnight: the evening part is today's, the morning part belongs to the day before.
  return (has(day) && now >= start) || (has(yesterday) && now < end);
}

/**
 * The background speed limit in force at `date` (local time): the first matching scheduled
 * rule's, else the plain `speedLimit` setting. Bytes per second, 0 = unlimited.
 */
export function activeSpeedLimit(
  settings: Pick<EngineSettings, 'speedLimit' | 'speedSchedule'>,
  date: Date,
): number {
  for (const rule of settings.speedSchedule) {
    if (ruleActive(rule, date)) return rule.speedLimit;
  }
  return settings.speedLimit;
}
