import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallbackSender } from '../../../../agent/commands/callback-sender.ts';
import { CommandJournal } from '../../../../agent/commands/command-journal.ts';
import { type CommandHandler, CommandRunner } from '../../../../agent/commands/command-runner.ts';
import { AgentFailure } from '../../../../agent/errors.ts';
import { createLogger } from '../../../../agent/log.ts';
import type { AgentCallback } from '../../../../agent/protocol/callbacks.ts';
import type { AgentCommand, CallbackTarget } from '../../../../agent/protocol/commands.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(handler: CommandHandler, dataDir = mkdtempSync(join(tmpdir(), 'runner-'))) {
  dirs.push(dataDir);
  const sent: Array<{ target: CallbackTarget; callback: AgentCallback }> = [];
  const waiting: Array<{ done: () => boolean; resolve: () => void }> = [];
  const sender = {
    send: async (target: CallbackTarget, callback: AgentCallback) => {
      sent.push({ target, callback });
      for (const waiter of waiting.filter(({ done }) => done())) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
      return true;
    },
  } as unknown as CallbackSender;
  /** Resolves once what was sent satisfies `done`. */
  const untilSent = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      if (done()) resolve();
      else waiting.push({ done, resolve });
    });
  const runner = new CommandRunner({
    journal: new CommandJournal(dataDir),
    sender,
    handler,
    heartbeatMs: 10,
    log: createLogger({}, true),
  });
  return { runner, sent, untilSent, dataDir };
}

const power = (commandId: string, token?: string): AgentCommand => ({
  commandId,
  type: 'power-on',
  sliceId: 'slc_1',
  ...(token ? { callback: { url: 'http://127.0.0.1:1/cb', taskToken: token } } : {}),
});

describe('CommandRunner', () => {
  it('runs a repeated command ID once and reports the first outcome', async () => {
    let runs = 0;
    const { runner } = setup(async () => {
      runs += 1;
      return { sliceId: 'slc_1', power: 'on', changed: true };
    });
    await runner.recover();

    await runner.submit(power('c1'));
    await runner.waitFor('c1');
    const replay = await runner.submit(power('c1'));

    expect(runs).toBe(1);
    expect(replay).toMatchObject({
      accepted: true,
      status: { state: 'succeeded', result: { changed: true } },
    });
  });

  it('tells a repeated dispatch of a finished command its outcome again, on the same token', async () => {
    let runs = 0;
    const { runner, sent } = setup(async () => {
      runs += 1;
      return { sliceId: 'slc_1', power: 'on', changed: true };
    });
    await runner.recover();
    await runner.submit(power('c1', 'token-a'));
    await runner.waitFor('c1');
    await runner.settled();

    // Its workflow restarted and never heard the first report: it dispatches the same again.
    await runner.submit(power('c1', 'token-a'));
    await runner.settled();

    const finals = sent.filter(({ callback }) => callback.kind !== 'heartbeat');
    expect(runs).toBe(1);
    expect(finals.map(({ callback }) => [callback.taskToken, callback.kind])).toEqual([
      ['token-a', 'success'],
      ['token-a', 'success'],
    ]);
  });

  it('refuses a command ID reused with other parameters', async () => {
    const { runner } = setup(async () => ({ sliceId: 'slc_1', power: 'on', changed: true }));
    await runner.recover();
    await runner.submit(power('c1'));

    const outcome = await runner.submit({ ...power('c1'), sliceId: 'slc_2' });

    expect(outcome).toMatchObject({ accepted: false, name: 'CommandConflict' });
  });

  it('refuses a second command on a busy slice', async () => {
    let release: () => void = () => undefined;
    const { runner } = setup(
      () =>
        new Promise((resolve) => {
          release = () => resolve({ sliceId: 'slc_1', power: 'on', changed: true });
        }),
    );
    await runner.recover();
    await runner.submit(power('c1'));

    const second = await runner.submit(power('c2'));
    release();
    await runner.waitFor('c1');

    expect(second).toMatchObject({ accepted: false, name: 'SliceBusy' });
  });

  it('sends heartbeats with progress while running, then the outcome, to every task token', async () => {
    const beatReached = (token: string) =>
      sent.some(({ callback }) => callback.kind === 'heartbeat' && callback.taskToken === token);
    // The command runs until a heartbeat has reached each of its task tokens.
    const { runner, sent, untilSent } = setup(async (_command, context) => {
      context.reportProgress({ bytesDone: 5, bytesTotal: 10 });
      await untilSent(() => beatReached('token-a') && beatReached('token-b'));
      throw new AgentFailure('DiskNotFound', 'no disk');
    });
    await runner.recover();

    await runner.submit(power('c1', 'token-a'));
    await runner.submit(power('c1', 'token-b'));
    await runner.waitFor('c1');
    await runner.settled();

    const heartbeats = sent.filter(({ callback }) => callback.kind === 'heartbeat');
    const finals = sent.filter(({ callback }) => callback.kind !== 'heartbeat');
    expect(heartbeats.length).toBeGreaterThan(1);
    expect(heartbeats[0]?.callback.progress).toEqual({ bytesDone: 5, bytesTotal: 10 });
    expect(
      finals.map(({ callback }) => [callback.taskToken, callback.kind, callback.error?.name]),
    ).toEqual([
      ['token-a', 'failure', 'DiskNotFound'],
      ['token-b', 'failure', 'DiskNotFound'],
    ]);
  });

  it('reports AgentRestarted for an upload cut by a restart', async () => {
    const first = setup(() => new Promise(() => undefined));
    await first.runner.recover();
    const upload: AgentCommand = {
      commandId: 'up1',
      type: 'upload',
      sliceId: 'slc_1',
      captureId: 'cap',
      accountId: 'acc',
      snapshotId: 'snp',
      callback: { url: 'http://127.0.0.1:1/cb', taskToken: 'token-u' },
    };
    await first.runner.submit(upload);
    await first.runner.close();

    const second = setup(
      async () => ({ sliceId: 'x', power: 'on', changed: false }),
      first.dataDir,
    );
    const interrupted = await second.runner.recover();
    await second.runner.settled();

    expect(interrupted.map((record) => record.command.commandId)).toEqual(['up1']);
    expect(second.runner.status('up1')).toMatchObject({
      state: 'failed',
      error: { name: 'AgentRestarted', code: 'AGENT_RESTARTED' },
    });
    expect(
      second.sent.map(({ callback }) => [callback.taskToken, callback.kind, callback.error?.name]),
    ).toEqual([['token-u', 'failure', 'AgentRestarted']]);
  });

  it('cancels the command holding the slice, answering once it has ended', async () => {
    const { runner, sent } = setup(
      (_command, context) =>
        new Promise((_resolve, reject) => {
          context.signal.addEventListener('abort', () => reject(new Error('stopped')));
        }),
    );
    await runner.recover();
    await runner.submit({
      commandId: 'upload-1',
      type: 'upload',
      sliceId: 'slc_1',
      captureId: 'snp_1',
      accountId: 'acct-1',
      snapshotId: 'snp_1',
      callback: { url: 'http://127.0.0.1:1/cb', taskToken: 't1' },
    });

    await runner.submit({ commandId: 'cancel-1', type: 'cancel', sliceId: 'slc_1' });
    await runner.waitFor('cancel-1');
    await runner.settled();

    expect(runner.status('cancel-1')).toMatchObject({
      state: 'succeeded',
      result: { cancelledCommandId: 'upload-1', cancelledType: 'upload' },
    });
    expect(runner.status('upload-1')).toMatchObject({
      state: 'failed',
      error: { name: 'Cancelled', code: 'COMMAND_CANCELLED' },
    });
    expect(sent.at(-1)?.callback).toMatchObject({ kind: 'failure', error: { name: 'Cancelled' } });
    expect(await runner.submit(power('after'))).toMatchObject({ accepted: true });
  });

  it('answers a cancel with nothing cancelled when the slice is idle', async () => {
    const { runner } = setup(async () => ({ sliceId: 'slc_1', power: 'on', changed: true }));
    await runner.recover();

    await runner.submit({ commandId: 'cancel-1', type: 'cancel', sliceId: 'slc_1' });
    await runner.waitFor('cancel-1');

    expect(runner.status('cancel-1')).toMatchObject({
      state: 'succeeded',
      result: { cancelledCommandId: null, cancelledType: null },
    });
  });
});
