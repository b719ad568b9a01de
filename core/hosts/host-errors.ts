import { domainError } from '../shared/domain-error.ts';

/** The region has no host to place a slice on (none registered). */
export class NoHostAvailableError extends domainError('NoHostAvailableError', 'NO_HOST_AVAILABLE') {
  readonly region: string;

  constructor(region: string) {
    super(`no host is available in region ${region}`);
    this.region = region;
  }
}

/** A host id that the host registry does not list (removed, or never registered). */
export class UnknownHostError extends domainError('UnknownHostError', 'UNKNOWN_HOST') {
  readonly hostId: string;

  constructor(hostId: string) {
    super(`host ${hostId} is not in the host registry`);
    this.hostId = hostId;
  }
}

/** The slice has no host yet: a step that needs its disk ran before the slice was placed. */
export class SliceNotPlacedError extends domainError('SliceNotPlacedError', 'SLICE_NOT_PLACED') {
  readonly sliceId: string;

  constructor(sliceId: string) {
    super(`slice ${sliceId} is not placed on a host`);
    this.sliceId = sliceId;
  }
}
