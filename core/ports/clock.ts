/** The time, from one place, so that tests can pin it. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}
