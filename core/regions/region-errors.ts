import { invalidInputError } from '../shared/domain-error.ts';

/** The request names a region this deployment does not serve. */
export class UnknownRegionError extends invalidInputError('UnknownRegionError', 'UNKNOWN_REGION') {
  readonly region: string;

  constructor(region: string, known: readonly string[], path = 'region') {
    super([{ path, message: `unknown region "${region}"; known regions: ${known.join(', ')}` }]);
    this.region = region;
  }
}
