import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../console/src/api/problem.ts';
import {
  explainOperationError,
  explainProblem,
  hasWordsFor,
} from '../../console/src/api/problem-words.ts';
import { ERROR_CODES } from '../../core/shared/error-codes.ts';

const OPERATION = 'op_01JD3QY8W7T2B6G0ZC4M9X5K1E';

describe('explainProblem', () => {
  it('names the operation in the way of a busy slice from its code and members', () => {
    const problem = new ApiProblem(409, {
      status: 409,
      code: 'SLICE_BUSY',
      detail: 'whatever the server says',
      operationId: OPERATION,
      operationType: 'slice.restore',
    });

    expect(explainProblem(problem)).toEqual({
      summary: 'The slice is busy with another operation (Restore slice).',
      action: 'Wait until that operation ends, then try again.',
      operationId: OPERATION,
    });
  });

  it('finds the operation in the detail of a deployment without codes', () => {
    const problem = new ApiProblem(409, {
      status: 409,
      detail: `slice slc_1 is busy with operation ${OPERATION} (snapshot.create)`,
    });

    expect(explainProblem(problem)).toMatchObject({
      summary: 'The slice is busy with another operation (Take snapshot).',
      operationId: OPERATION,
    });
  });

  it('reads the codes of earlier deployments as today’s', () => {
    const problem = new ApiProblem(409, { code: 'SLICE.SOURCE_DELETED', detail: 'x' });

    expect(explainProblem(problem).action).toBe(
      'Create a new slice from the snapshot instead, or restore onto another slice.',
    );
  });

  it('lists every bad field of a refused input', () => {
    const problem = new ApiProblem(400, {
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'Invalid body',
      errors: [{ path: 'body.name', message: 'must not be empty' }],
    });

    expect(explainProblem(problem)).toMatchObject({
      summary: 'Some of what was entered is not accepted.',
      fields: [{ path: 'body.name', message: 'must not be empty' }],
    });
  });

  it('says how long to wait when throttled', () => {
    const problem = new ApiProblem(429, { code: 'RATE_LIMITED', detail: 'slow down' }, 3);

    expect(explainProblem(problem).action).toBe('Wait 3 seconds, then try again.');
  });

  it('tells an unreachable API and a server fault apart from what the user sent', () => {
    expect(explainProblem(ApiProblem.unreachable(new TypeError('fetch failed'))).summary).toBe(
      'The API could not be reached.',
    );
    expect(explainProblem(new ApiProblem(500, { detail: 'boom' })).summary).toBe(
      'Something went wrong on our side.',
    );
  });

  it('falls back on the detail, as a sentence, for a problem it has no words for', () => {
    const problem = new ApiProblem(422, { detail: 'snapshot snp_1 is in fra1, not in nyc1' });

    expect(explainProblem(problem)).toEqual({
      summary: 'Snapshot snp_1 is in fra1, not in nyc1.',
      action: 'Change your choices and try again.',
    });
  });
});

describe('the words of the console', () => {
  it('say what happened and what to do for every code the API and operations use', () => {
    expect(ERROR_CODES.filter((code) => !hasWordsFor(code))).toEqual([]);
  });
});

describe('explainOperationError', () => {
  it.each([['WORKFLOW.ABORTED'], ['WORKFLOW_ABORTED']])(
    'says what a stopped workflow means, whichever spelling (%s)',
    (code) => {
      expect(explainOperationError({ code, message: 'execution aborted' })).toEqual({
        summary: 'The operation was stopped before it finished; what it changed was put back.',
        action: 'Try again.',
      });
    },
  );

  it('keeps the message of a failure it has no words for', () => {
    expect(explainOperationError({ code: 'NEW_CODE', message: 'the disk melted' }).summary).toBe(
      'The disk melted.',
    );
  });
});
