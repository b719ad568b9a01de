import { describe, expect, it } from 'vitest';
import { AgentUnreachableError } from '../../../../core/agents/agent-errors.ts';
import { AccountRateLimitedError } from '../../../../core/rate-limits/rate-limit-errors.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
} from '../../../../core/slices/slice-errors.ts';
import { toProblem } from '../../../../functions/shared/error-mapping.ts';
import { problem, problemResponse } from '../../../../functions/shared/problem.ts';

const rendered = (error: unknown) => {
  const known = toProblem(error);
  return known ? JSON.parse(String(problemResponse(known).body)) : undefined;
};

describe('toProblem', () => {
  it('keeps a domain error code and takes its status from the table', () => {
    const busy = new SliceBusyError('slc_1', {
      operationId: 'op_1',
      operationType: 'snapshot.create',
      power: 'on',
    });
    const illegal = new IllegalSliceTransitionError('slc_1', 'deleted', 'busy');

    expect(rendered(busy)).toEqual({
      type: 'https://slice-snapshots.dev/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: busy.message,
      code: 'SLICE_BUSY',
      operationId: 'op_1',
      operationType: 'snapshot.create',
    });
    expect(rendered(illegal)).toEqual({
      type: 'https://slice-snapshots.dev/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: illegal.message,
      code: 'ILLEGAL_TRANSITION',
    });
  });

  it('names the bad fields of invalid input where the client sent them', () => {
    const invalid = new InvalidInputError([{ path: 'name', message: 'must not be empty' }]);

    expect(toProblem(invalid, 'query')).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'query.name', message: 'must not be empty' }],
    });
  });

  it('tells a throttled account when to come back', () => {
    const response = problemResponse(
      toProblem(new AccountRateLimitedError('acct', 3)) ?? problem('INTERNAL', 'unexpected'),
    );

    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({ 'retry-after': '3' });
    expect(JSON.parse(String(response.body))).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('leaves unknown errors and server-side domain errors to the 500 answer', () => {
    expect(toProblem(new Error('boom'))).toBeUndefined();
    expect(toProblem(new AgentUnreachableError('host-1', 'ECONNREFUSED 10.0.0.9'))).toBeUndefined();
  });

  it('gives the body parser refusals codes of their own', () => {
    const parserError = (statusCode: number) => Object.assign(new Error('x'), { statusCode });

    expect(toProblem(parserError(415))).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(toProblem(parserError(422))).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(toProblem(parserError(413))).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
  });
});
