/**
 * A small reference of Proxmox Backup Server's prune, written from its documentation and its
 * `compute_prune_info` / `mark_selections` (proxmox-backup, src/server/prune.rs), to check the
 * product's retention against. It keeps PBS's shape on purpose: one mark per backup (keep, remove,
 * protected), each option a pass over the list newest first with a select id per backup, the
 * time formats of PBS (`%Y/%m/%d/%H`, `%Y/%m/%d`, `%G/%V`, `%Y/%m`, `%Y`) but in UTC.
 */

export interface ReferenceBackup {
  readonly id: string;
  readonly time: number;
  readonly protected: boolean;
}

export interface ReferenceOptions {
  readonly keepLast?: number;
  readonly keepHourly?: number;
  readonly keepDaily?: number;
  readonly keepWeekly?: number;
  readonly keepMonthly?: number;
  readonly keepYearly?: number;
}

type Mark = 'keep' | 'remove' | 'protected';

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** `%G/%V`, written out the way ISO 8601 defines the week: the week holding the Thursday. */
function isoYearWeek(time: number): string {
  const date = new Date(time);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const dayNumber = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(midnight + (3 - dayNumber) * 86_400_000);
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  const firstMonday = firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * 86_400_000;
  const week = 1 + Math.round((thursday.getTime() - 3 * 86_400_000 - firstMonday) / 604_800_000);
  return `${thursday.getUTCFullYear()}/${two(week)}`;
}

function format(time: number, pattern: 'hour' | 'day' | 'month' | 'year'): string {
  const date = new Date(time);
  const y = String(date.getUTCFullYear());
  const m = two(date.getUTCMonth() + 1);
  const d = two(date.getUTCDate());
  if (pattern === 'year') return y;
  if (pattern === 'month') return `${y}/${m}`;
  if (pattern === 'day') return `${y}/${m}/${d}`;
  return `${y}/${m}/${d}/${two(date.getUTCHours())}`;
}

function markSelections(
  mark: Map<string, Mark>,
  list: readonly ReferenceBackup[],
  keep: number,
  selectId: (backup: ReferenceBackup) => string,
): void {
  const includeHash = new Set<string>();
  const alreadyIncluded = new Set<string>();
  for (const info of list) {
    if (mark.get(info.id) === 'keep') alreadyIncluded.add(selectId(info));
  }
  for (const info of list) {
    if (mark.has(info.id)) continue;
    if (info.protected) {
      mark.set(info.id, 'protected');
      continue;
    }
    const selId = selectId(info);
    if (alreadyIncluded.has(selId)) continue;
    if (!includeHash.has(selId)) {
      if (includeHash.size >= keep) break;
      includeHash.add(selId);
      mark.set(info.id, 'keep');
    } else {
      mark.set(info.id, 'remove');
    }
  }
}

/** The ids PBS would keep (kept by an option, or protected), given backups in any order. */
export function referencePrune(
  backups: readonly ReferenceBackup[],
  options: ReferenceOptions,
): Set<string> {
  const list = [...backups].sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1));
  const mark = new Map<string, Mark>();
  const passes: [number | undefined, (backup: ReferenceBackup) => string][] = [
    [options.keepLast, (backup) => backup.id],
    [options.keepHourly, (backup) => format(backup.time, 'hour')],
    [options.keepDaily, (backup) => format(backup.time, 'day')],
    [options.keepWeekly, (backup) => isoYearWeek(backup.time)],
    [options.keepMonthly, (backup) => format(backup.time, 'month')],
    [options.keepYearly, (backup) => format(backup.time, 'year')],
  ];
  for (const [keep, selectId] of passes) {
    if (keep !== undefined && keep > 0) markSelections(mark, list, keep, selectId);
  }
  return new Set(
    list
      .filter((info) => info.protected || (mark.get(info.id) ?? 'remove') === 'keep')
      .map((info) => info.id),
  );
}
