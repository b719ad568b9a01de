import { MAX_NAME_LENGTH } from '../shared/names.ts';

/**
 * The name of a snapshot requested without one: `<slice name>-<unix seconds>`. A slice name too long
 * for the suffix to fit is shortened, so the default is always a valid name.
 */
export function defaultSnapshotName(sliceName: string, now: Date): string {
  return nameWithSuffix(sliceName, `-${Math.floor(now.getTime() / 1000)}`);
}

/** The name of the snapshot a restore keeps of the disk it replaces: `<slice name>-before-restore-<unix seconds>`. */
export function preRestoreSnapshotName(sliceName: string, now: Date): string {
  return nameWithSuffix(sliceName, `-before-restore-${Math.floor(now.getTime() / 1000)}`);
}

/** The name of a deleted slice's final snapshot: `<slice name>-final-<unix seconds>`. */
export function finalSnapshotName(sliceName: string, now: Date): string {
  return nameWithSuffix(sliceName, `-final-${Math.floor(now.getTime() / 1000)}`);
}

/** `<slice name><suffix>`, the slice name shortened where both would not fit in a name. */
function nameWithSuffix(sliceName: string, suffix: string): string {
  const room = MAX_NAME_LENGTH - suffix.length;
  const characters = [...sliceName];
  const base = characters.length > room ? characters.slice(0, room).join('').trimEnd() : sliceName;
  return `${base}${suffix}`;
}
