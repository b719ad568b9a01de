/** ISO 8601 UTC with `Z`, as every time of the contract. */
export function toIsoTime(date: Date): string {
  return date.toISOString();
}

/** Whole seconds from `from` to `to` (ISO strings or dates), never negative. */
export function secondsBetween(from: string | Date, to: string | Date): number {
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return ms > 0 ? Math.floor(ms / 1000) : 0;
}

/**
 * Seconds from `from` to `to` with millisecond precision (3 decimals), never negative: how every
 * duration of the contract is reported, so that a 0.43 s power-off reads 0.43, not 0.
 */
export function durationSeconds(from: string | Date, to: string | Date): number {
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return ms > 0 ? ms / 1000 : 0;
}
