import { type LabelChanges, type Labels, mergeLabels, sameLabels } from '../labels/labels.ts';
import { InvalidInputError } from '../shared/domain-error.ts';
import { parseName } from '../shared/names.ts';
import { retryOnConflict } from '../shared/retry-on-conflict.ts';

/** What a client asks to change of a slice or snapshot; a field left out is left as it is. */
export interface ClientEdit {
  readonly name?: string;
  /** Merged into the record's labels: a key set to null is removed, others are kept. */
  readonly labels?: LabelChanges;
}

/** The record's protection flag as the client sent it, and the field that carries it. */
interface ClientFlag {
  readonly path: string;
  readonly value: boolean | undefined;
}

/** A client's edit, checked. */
interface CheckedEdit {
  readonly name: string | undefined;
  readonly labels: LabelChanges | undefined;
  readonly flag: boolean | undefined;
}

/**
 * A client's edit of a slice or snapshot, checked before anything is read: its new name, if any,
 * parsed, and its protection flag, if any, a boolean (`flag.path` names it in the error).
 */
function checkedEdit(input: ClientEdit, flag: ClientFlag): CheckedEdit {
  const name = input.name === undefined ? undefined : parseName(input.name);
  if (flag.value !== undefined && typeof flag.value !== 'boolean') {
    throw new InvalidInputError([{ path: flag.path, message: 'must be true or false' }]);
  }
  return { name, labels: input.labels, flag: flag.value };
}

/**
 * The labels an edit leaves on the record as read now (changes merged into them), and whether it
 * changes nothing at all, so that such a request writes nothing.
 */
function editedLabels(
  current: { readonly name: string; readonly labels: Labels },
  currentFlag: boolean,
  edit: CheckedEdit,
): { labels: Labels; unchanged: boolean } {
  const labels =
    edit.labels === undefined ? current.labels : mergeLabels(current.labels, edit.labels);
  const unchanged =
    (edit.name === undefined || edit.name === current.name) &&
    sameLabels(labels, current.labels) &&
    (edit.flag === undefined || edit.flag === currentFlag);
  return { labels, unchanged };
}

/**
 * How one kind of record takes an edit: its protection flag as the client sent it, and the record
 * read now, changed by its domain rules and written.
 */
export interface RecordEditing<T> {
  read(): Promise<T>;
  readonly flag: ClientFlag;
  /** The record's protection flag, which the edit's `flag` sets. */
  flagOf(record: T): boolean;
  apply(record: T, edit: { name?: string; labels: Labels; flag?: boolean }): T;
  write(current: T, next: T): Promise<void>;
}

/**
 * Applies a client's edit, checked before anything is read, to the record as read now, in one
 * conditional write. A request that changes nothing writes nothing; a race with another write is
 * retried on fresh state, so no change is lost.
 */
export async function applyEdit<T extends { readonly name: string; readonly labels: Labels }>(
  input: ClientEdit,
  steps: RecordEditing<T>,
): Promise<T> {
  const edit = checkedEdit(input, steps.flag);
  return retryOnConflict(async () => {
    const current = await steps.read();
    const { labels, unchanged } = editedLabels(current, steps.flagOf(current), edit);
    // The domain rules refuse an edit of a record in a state that allows none, changed or not.
    const next = steps.apply(current, { name: edit.name, labels, flag: edit.flag });
    if (unchanged) return current;
    await steps.write(current, next);
    return next;
  });
}
