import { describe, expect, it } from 'vitest';
import {
  AGENT_ERROR_CODES,
  type AgentErrorName,
} from '../../../../core/agents/agent-error-codes.ts';
import { FAILURE_CODES } from '../../../../core/shared/error-codes.ts';
import type { Failure } from '../../../../core/shared/failure.ts';
import { EXECUTION_ENDED_ERRORS, failureOf } from '../../../../core/workflows/workflow-failure.ts';
import { EVERY_ERROR } from '../shared/every-error.ts';

const FALLBACK: Failure = { code: 'SLICE_OPERATION_FAILED', message: 'the operation failed' };

describe('failureOf', () => {
  it('keeps the code of each error class it has a sentence for', () => {
    const withSentences = EVERY_ERROR.map(([error, name, code]) => ({
      failure: failureOf({ Error: name, Cause: error.message }, FALLBACK),
      name,
      code,
    })).filter(({ failure }) => failure !== FALLBACK);

    expect(withSentences.length).toBeGreaterThanOrEqual(10);
    for (const { failure, name, code } of withSentences) expect(failure.code, name).toBe(code);
  });

  it("gives every host error name its own code, with the operation's sentence when it has none", () => {
    for (const name of Object.keys(AGENT_ERROR_CODES) as AgentErrorName[]) {
      const failure = failureOf({ Error: name }, FALLBACK);

      expect(failure.code, name).toBe(AGENT_ERROR_CODES[name]);
    }
    expect(failureOf({ Error: 'HostCapacityExceeded' }, FALLBACK)).toEqual({
      code: 'HOST_CAPACITY_EXCEEDED',
      message: 'the operation failed',
    });
  });

  it('never shows the cause, which may name hosts and addresses', () => {
    const failure = failureOf(
      { Error: 'AgentUnreachable', Cause: 'connect 10.0.0.7:7000' },
      FALLBACK,
    );

    expect(failure).toEqual({
      code: 'AGENT_UNREACHABLE',
      message: "the slice's host could not be reached",
    });
  });

  it('says how an execution ended outside any Catch', () => {
    const codes = Object.values(EXECUTION_ENDED_ERRORS).map(
      (name) => failureOf({ Error: name }, FALLBACK).code,
    );

    expect(codes).toEqual([
      'WORKFLOW_ABORTED',
      'WORKFLOW_TIMED_OUT',
      'WORKFLOW_FAILED',
      'WORKFLOW_NOT_STARTED',
    ]);
    expect(failureOf({ Error: 'States.HeartbeatTimeout' }, FALLBACK).code).toBe('AGENT_TIMEOUT');
  });

  it('takes the fallback for an error without a sentence or a code of its own', () => {
    expect(failureOf({ Error: 'Lambda.Unknown' }, FALLBACK)).toBe(FALLBACK);
  });

  it('only gives codes an operation may hold', () => {
    const names = [
      ...EVERY_ERROR.map(([, name]) => name),
      ...Object.values(EXECUTION_ENDED_ERRORS),
      'States.Timeout',
    ];

    for (const name of names) {
      expect(FAILURE_CODES).toContain(failureOf({ Error: name }, FALLBACK).code);
    }
  });
});
