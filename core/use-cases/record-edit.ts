import { type LabelChanges, type Labels, mergeLabels, sameLabels } from '../labels/labels.ts';
import { InvalidInputError } from '../shared/domain-error.ts';
import { parseName } from '../shared/names.ts';

/**
 * A client's edit of a slice or snapshot, checked before anything is read: its new name, if any,
 * parsed, and its protection flag, if any, a boolean (`flagPath` names it in the error).
 */
export function checkedEdit(
  input: { readonly name?: string; readonly labels?: LabelChanges },
  flag: { readonly path: string; readonly value: boolean | undefined },
): { name: string | undefined; labels: LabelChanges | undefined; flag: boolean | undefined } {
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
export function editedLabels(
  current: { readonly name: string; readonly labels: Labels },
  currentFlag: boolean,
  edit: ReturnType<typeof checkedEdit>,
): { labels: Labels; unchanged: boolean } {
  const labels =
    edit.labels === undefined ? current.labels : mergeLabels(current.labels, edit.labels);
  const unchanged =
    (edit.name === undefined || edit.name === current.name) &&
    sameLabels(labels, current.labels) &&
    (edit.flag === undefined || edit.flag === currentFlag);
  return { labels, unchanged };
}
