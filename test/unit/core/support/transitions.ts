import { expect, it } from 'vitest';

/** A transition of a record's status, as a row of a table: the statuses it accepts, where it leads. */
export interface Transition<R, S extends string> {
  readonly name: string;
  readonly to: S;
  readonly from: readonly S[];
  readonly apply: (record: R) => R;
}

/** What `itMovesOrRefuses` needs to know of one kind of record. */
export interface TransitionTable<R, S extends string> {
  /** The record's name in test titles: `slice`, `snapshot`. */
  readonly noun: string;
  readonly statuses: readonly S[];
  readonly transitions: readonly Transition<R, S>[];
  /** A record in `status`, the others of its fields as a transition expects them. */
  readonly recordIn: (status: S) => R;
  /** When every transition of the table is applied: the `updatedAt` it must stamp. */
  readonly at: string;
  /** The error class a refused transition throws. */
  readonly refusal: new (
    ...args: never[]
  ) => Error;
  /** Pairs a transition treats otherwise than by moving or refusing, tested on their own. */
  readonly skip?: (transition: Transition<R, S>, status: S) => boolean;
}

/**
 * Declares a test for each transition and each status: an accepted status moves a copy of the
 * record to `to`, stamped `at`, and leaves the record as it was; any other is refused with the
 * table's error, naming both statuses.
 */
export function itMovesOrRefuses<R extends { status: S; updatedAt: string }, S extends string>(
  table: TransitionTable<R, S>,
): void {
  const { noun, statuses, transitions, recordIn, at, refusal, skip } = table;
  for (const transition of transitions) {
    for (const status of statuses) {
      if (skip?.(transition, status)) continue;
      if (transition.from.includes(status)) {
        it(`${transition.name} moves a ${status} ${noun} to ${transition.to}`, () => {
          const record = recordIn(status);

          const next = transition.apply(record);

          expect(next.status).toBe(transition.to);
          expect(next.updatedAt).toBe(at);
          expect(record.status).toBe(status);
        });
      } else {
        it(`${transition.name} refuses a ${status} ${noun}`, () => {
          const attempt = () => transition.apply(recordIn(status));

          expect(attempt).toThrow(refusal);
          expect(attempt).toThrow(expect.objectContaining({ from: status, to: transition.to }));
        });
      }
    }
  }
}
