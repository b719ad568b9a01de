import { MAX_NAME_LENGTH } from '../shared/names.ts';

/**
 * The name of a snapshot requested without one: `<slice name>-<unix seconds>`. A slice name too long
 * for the suffix to fit is shortened, so the default is always a valid name.
 */
export function defaultSnapshotName(sliceName: string, now: Date): string {
  const suffix = `-${Math.floor(now.getTime() / 1000)}`;
  const room = MAX_NAME_LENGTH - suffix.length;
  const characters = [...sliceName];
  const base = characters.length > room ? characters.slice(0, room).join('').trimEnd() : sliceName;
  return `${base}${suffix}`;
}
