import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withFrozenFilesystems } from '../../../../agent/qemu/guest-agent.ts';

const OPTIONS = { pingTimeoutMs: 200, freezeTimeoutMs: 500 };
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** A qemu-guest-agent that records the commands it gets; `answers` false plays a guest without one. */
async function fakeGuestAgent(options: { answers: boolean; failFreeze?: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), 'qga-'));
  const path = join(dir, 'qga.sock');
  const commands: string[] = [];
  const server: Server = createServer((socket) => {
    socket.on('data', (data) => {
      for (const line of data.toString().split('\n').filter(Boolean)) {
        const { execute } = JSON.parse(line) as { execute: string };
        commands.push(execute);
        if (!options.answers) continue;
        const reply =
          execute === 'guest-fsfreeze-freeze' && options.failFreeze
            ? { error: { class: 'GenericError', desc: 'freeze failed' } }
            : { return: execute === 'guest-ping' ? {} : 1 };
        socket.write(`${JSON.stringify(reply)}\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  cleanup = () => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { path, commands };
}

describe('withFrozenFilesystems', () => {
  it('freezes the guest around the work and thaws it after', async () => {
    const agent = await fakeGuestAgent({ answers: true });
    let during: string[] = [];

    const { result, frozen } = await withFrozenFilesystems(agent.path, OPTIONS, async () => {
      during = [...agent.commands];
      return 'captured';
    });

    expect(result).toBe('captured');
    expect(frozen).toBe(true);
    expect(during).toEqual(['guest-ping', 'guest-fsfreeze-freeze']);
    expect(agent.commands).toEqual(['guest-ping', 'guest-fsfreeze-freeze', 'guest-fsfreeze-thaw']);
  });

  it('thaws the guest when the work fails', async () => {
    const agent = await fakeGuestAgent({ answers: true });

    const failing = withFrozenFilesystems(agent.path, OPTIONS, async () => {
      throw new Error('transaction refused');
    });

    await expect(failing).rejects.toThrow('transaction refused');
    expect(agent.commands.at(-1)).toBe('guest-fsfreeze-thaw');
  });

  it('goes on crash-consistent, and still thaws, when freezing fails', async () => {
    const agent = await fakeGuestAgent({ answers: true, failFreeze: true });

    const { frozen } = await withFrozenFilesystems(agent.path, OPTIONS, async () => 'captured');

    expect(frozen).toBe(false);
    expect(agent.commands).toEqual(['guest-ping', 'guest-fsfreeze-freeze', 'guest-fsfreeze-thaw']);
  });

  it('does the work unfrozen when no guest agent answers', async () => {
    const agent = await fakeGuestAgent({ answers: false });

    const { result, frozen } = await withFrozenFilesystems(agent.path, OPTIONS, async () => 'done');

    expect({ result, frozen }).toEqual({ result: 'done', frozen: false });
    expect(agent.commands).toEqual(['guest-ping']);
  });
});
