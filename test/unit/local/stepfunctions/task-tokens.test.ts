import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TaskTokens } from '../../../../local/stepfunctions/task-tokens.ts';

async function settledWithin<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, Promise.resolve('pending' as const)]);
}

describe('TaskTokens', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('settles a task with the output of SendTaskSuccess', async () => {
    const tokens = new TaskTokens();
    const { token, outcome } = tokens.mint(undefined);

    tokens.succeed(token, { bytes: 1 });

    expect(await outcome).toEqual({ status: 'succeeded', output: { bytes: 1 } });
  });

  it('answers TaskTimedOut to a token whose task has ended, and TaskDoesNotExist to a stranger', () => {
    const tokens = new TaskTokens();
    const { token } = tokens.mint(undefined);
    tokens.fail(token, 'AgentDiskFull', 'full');

    expect(() => tokens.heartbeat(token)).toThrow(
      expect.objectContaining({ type: 'TaskTimedOut' }),
    );
    expect(() => tokens.succeed('stranger', {})).toThrow(
      expect.objectContaining({ type: 'TaskDoesNotExist' }),
    );
    expect(() => tokens.succeed('', {})).toThrow(expect.objectContaining({ type: 'InvalidToken' }));
  });

  it('times a task out after HeartbeatSeconds of silence, each heartbeat starting the wait again', async () => {
    const tokens = new TaskTokens();
    const { token, outcome } = tokens.mint(2);

    await vi.advanceTimersByTimeAsync(1900);
    tokens.heartbeat(token);
    await vi.advanceTimersByTimeAsync(1900);
    const beforeSilence = await settledWithin(outcome);
    await vi.advanceTimersByTimeAsync(100);

    expect(beforeSilence).toBe('pending');
    expect(await outcome).toEqual({
      status: 'timed-out',
      error: 'States.HeartbeatTimeout',
      cause: expect.any(String),
    });
  });

  it('knows the tokens of tasks that ended before a restart', () => {
    const tokens = new TaskTokens();

    tokens.rememberClosed(['from-last-run']);

    expect(() => tokens.succeed('from-last-run', {})).toThrow(
      expect.objectContaining({ type: 'TaskTimedOut' }),
    );
  });

  it('mints a distinct token each time', () => {
    const tokens = new TaskTokens();

    const minted = new Set(Array.from({ length: 50 }, () => tokens.mint(undefined).token));

    expect(minted.size).toBe(50);
  });
});
