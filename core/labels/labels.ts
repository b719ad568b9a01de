import { type InputIssue, InvalidInputError } from '../shared/domain-error.ts';

/** Key–value labels on a slice or a snapshot: what users select lists by. */
export type Labels = Readonly<Record<string, string>>;

/** A change to labels: a key set to a string is set, a key set to null is removed. */
export type LabelChanges = Readonly<Record<string, string | null>>;

/** Most labels one resource carries. */
export const MAX_LABELS = 64;

/**
 * A key: 1–63 characters of `a–z 0–9 . _ / -`, starting and ending with a letter or digit, so
 * that a prefix such as `team.example/owner` fits.
 */
export const LABEL_KEY_PATTERN = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;

/** A value: 0–63 characters of the key's set, with no rule on the first and last. */
export const LABEL_VALUE_PATTERN = /^[a-z0-9._/-]{0,63}$/;

/** What a client reads when a key breaks the rule. */
export const LABEL_KEY_RULE =
  'must be 1–63 characters of a–z, 0–9, ".", "_", "/", "-", starting and ending with a letter or digit';

/** What a client reads when a value breaks the rule. */
export const LABEL_VALUE_RULE = 'must be 0–63 characters of a–z, 0–9, ".", "_", "/", "-"';

/** No labels. */
export const NO_LABELS: Labels = Object.freeze({});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entryIssues(key: string, value: unknown, path: string, nullable: boolean): InputIssue[] {
  const at = `${path}.${key}`;
  const issues: InputIssue[] = [];
  if (!LABEL_KEY_PATTERN.test(key)) issues.push({ path: at, message: `key ${LABEL_KEY_RULE}` });
  if (value === null && nullable) return issues;
  if (typeof value !== 'string') {
    issues.push({ path: at, message: nullable ? 'must be a string or null' : 'must be a string' });
  } else if (!LABEL_VALUE_PATTERN.test(value)) {
    issues.push({ path: at, message: `value ${LABEL_VALUE_RULE}` });
  }
  return issues;
}

/** What is wrong with a full set of labels (as given at create), one issue per bad entry. */
export function labelsIssues(raw: unknown, path = 'labels'): InputIssue[] {
  if (!isPlainObject(raw)) return [{ path, message: 'must be an object of key–value pairs' }];
  const entries = Object.entries(raw);
  const issues = entries.flatMap(([key, value]) => entryIssues(key, value, path, false));
  if (entries.length > MAX_LABELS) {
    issues.push({
      path,
      message: `must hold at most ${MAX_LABELS} labels (got ${entries.length})`,
    });
  }
  return issues;
}

/** What is wrong with a change to labels (values strings or null), one issue per bad entry. */
export function labelChangesIssues(raw: unknown, path = 'labels'): InputIssue[] {
  if (!isPlainObject(raw)) {
    return [{ path, message: 'must be an object of keys to a value or null' }];
  }
  return Object.entries(raw).flatMap(([key, value]) => entryIssues(key, value, path, true));
}

/** A full set of labels, validated; InvalidInputError naming every bad entry. */
export function parseLabels(raw: unknown, path = 'labels'): Labels {
  const issues = labelsIssues(raw, path);
  if (issues.length > 0) throw new InvalidInputError(issues);
  return { ...(raw as Record<string, string>) };
}

/**
 * `current` with `changes` merged in: keys set to a string are set, keys set to null removed,
 * every other key kept (a PATCH never replaces the whole set). InvalidInputError naming `path`
 * when a change is malformed or the result would hold more than {@link MAX_LABELS} labels.
 */
export function mergeLabels(current: Labels, changes: unknown, path = 'labels'): Labels {
  const issues = labelChangesIssues(changes, path);
  if (issues.length > 0) throw new InvalidInputError(issues);
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(changes as LabelChanges)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const count = Object.keys(merged).length;
  if (count > MAX_LABELS) {
    throw new InvalidInputError([
      {
        path,
        message: `would leave ${count} labels; a resource holds at most ${MAX_LABELS}`,
      },
    ]);
  }
  return merged;
}

/** The value of `key`, or undefined when the labels lack it (never an inherited property). */
export function labelValue(labels: Labels, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}

/** True when both hold the same keys with the same values, in any order. */
export function sameLabels(a: Labels, b: Labels): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && b[key] === a[key])
  );
}
