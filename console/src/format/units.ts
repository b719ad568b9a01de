const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Bytes as people read disk sizes: GiB with 2 decimals, MiB below a GiB. */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(2)} GiB`;
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  if (bytes > 0) return `${(bytes / 1024).toFixed(1)} KiB`;
  return '0 B';
}

/** A whole number of GiB at least `bytes` (the smallest disk that holds them). */
export function gibAtLeast(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / GIB));
}

/** A duration for a table: "0.43 s", "12 s", "2 min 5 s", "1 h 2 min"; "—" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 10) return `${Number(seconds.toFixed(seconds < 1 ? 2 : 1))} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

/** A running timer: "0:07", "12:03", "1:02:03". */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** An instant in UTC, to the second: "2026-03-01 10:00:05 UTC". */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A decimal amount of money as the API gives it ("2.00", "USD") → "$2.00". */
export function formatMoney(amount: string, currency: string): string {
  return currency === 'USD' ? `$${amount}` : `${amount} ${currency}`;
}

/**
 * How much smaller sharing and compression make the data, from the API's `dedupRatio` (logical
 * over stored bytes): 3.2 → "3.2× smaller", 1 → "no smaller", 0.8 → "1.25× larger".
 */
export function formatDedupRatio(ratio: number): string {
  const times = (value: number) => `${Number(value.toFixed(2))}×`;
  if (ratio > 1) return `${times(ratio)} smaller`;
  if (ratio > 0 && ratio < 1) return `${times(1 / ratio)} larger`;
  return 'no smaller';
}

/**
 * Orders two amounts of money as the API writes them ("12.50", "3.1234"), without turning them
 * into binary floats: whole parts by length then digits, then the fractions padded alike.
 */
export function compareAmounts(a: string, b: string): number {
  const [aWhole = '', aFraction = ''] = a.split('.');
  const [bWhole = '', bFraction = ''] = b.split('.');
  const aInteger = aWhole.replace(/^0+(?=\d)/, '');
  const bInteger = bWhole.replace(/^0+(?=\d)/, '');
  if (aInteger.length !== bInteger.length) return aInteger.length - bInteger.length;
  if (aInteger !== bInteger) return aInteger < bInteger ? -1 : 1;
  const width = Math.max(aFraction.length, bFraction.length);
  const aPadded = aFraction.padEnd(width, '0');
  const bPadded = bFraction.padEnd(width, '0');
  if (aPadded === bPadded) return 0;
  return aPadded < bPadded ? -1 : 1;
}

/** A month "2026-03" as "March 2026". */
export function formatMonth(month: string): string {
  const [year, index] = month.split('-').map(Number);
  if (!year || !index) return month;
  const name = new Date(Date.UTC(year, index - 1, 1)).toLocaleString('en-US', {
    month: 'long',
    timeZone: 'UTC',
  });
  return `${name} ${year}`;
}

/** The month of an instant, in UTC: "2026-03". */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** `count` months back from `from` (included), newest first. */
export function recentMonths(from: Date, count: number): string[] {
  const months: string[] = [];
  for (let back = 0; back < count; back++) {
    const first = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() - back, 1));
    months.push(monthOf(first));
  }
  return months;
}

/** A whole number of days: "1 day", "7 days". */
export function formatDays(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** Time left, to the minute: "6 days 23 h", "5 h 12 min", "12 min", "less than a minute". */
export function formatTimeLeft(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours > 0 ? `${formatDays(days)} ${hours} h` : formatDays(days);
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}
