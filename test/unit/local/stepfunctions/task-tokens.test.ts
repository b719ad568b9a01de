import { describe, expect, it } from 'vitest';
import { LocalClock } from '../../../../local/clock.ts';
import { TaskTokens } from '../../../../local/stepfunctions/task-tokens.ts';

async function settledWithin<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, Promise.resolve('pending' as const)]);
}

describe('TaskTokens', () => {
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

  it('times a task out after HeartbeatSeconds of silence on its clock, each heartbeat starting the wait again', async () => {
    const clock = new LocalClock();
    const tokens = new TaskTokens(clock);
    const { token, outcome } = tokens.mint(120);

    clock.advance(119_000);
    tokens.heartbeat(token);
    clock.advance(119_000);
    const beforeSilence = await settledWithin(outcome);
    clock.advance(1_000);

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
