import type { RetentionRule } from './retention-rules.ts';

const MS_PER_DAY = 86_400_000;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/**
 * The ISO 8601 week of a UTC instant, as `GGGG-Www`: weeks start on Monday, and week 1 is the week
 * that holds the year's first Thursday, so the first days of January may fall in the previous
 * year's last week and the last days of December in the next year's first.
 */
export function isoWeekOf(instant: Date): string {
  const day = new Date(
    Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()),
  );
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  // The Thursday of the same week decides which year the week belongs to.
  const thursday = new Date(day.getTime() + (4 - weekday) * MS_PER_DAY);
  const weekYear = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(weekYear, 0, 1)) / MS_PER_DAY;
  return `${pad(weekYear, 4)}-W${pad(Math.floor(dayOfYear / 7) + 1)}`;
}

/**
 * The period of `rule` that holds `instant`, in UTC, as a key equal for two instants of the same
 * period; `last` has no periods, so every snapshot is one of its own (`id`).
 */
export function retentionPeriodOf(rule: RetentionRule, instant: Date, id: string): string {
  const year = pad(instant.getUTCFullYear(), 4);
  const month = pad(instant.getUTCMonth() + 1);
  const day = pad(instant.getUTCDate());
  switch (rule) {
    case 'last':
      return id;
    case 'hourly':
      return `${year}-${month}-${day}T${pad(instant.getUTCHours())}`;
    case 'daily':
      return `${year}-${month}-${day}`;
    case 'weekly':
      return isoWeekOf(instant);
    case 'monthly':
      return `${year}-${month}`;
    case 'yearly':
      return year;
  }
}
