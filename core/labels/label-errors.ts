import { invalidInputError } from '../shared/domain-error.ts';

/**
 * A `labelSelector` that cannot be read: `position` is the 1-based character position of the first
 * character that does not fit the grammar (one past the end when the selector stops too early).
 */
export class InvalidLabelSelectorError extends invalidInputError(
  'InvalidLabelSelectorError',
  'INVALID_LABEL_SELECTOR',
) {
  readonly position: number;

  constructor(position: number, message: string, path = 'labelSelector') {
    super([{ path, message }]);
    this.position = position;
  }
}
