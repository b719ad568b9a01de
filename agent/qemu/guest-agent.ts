import { createConnection } from 'node:net';

/**
 * One request to qemu-guest-agent over its virtio-serial socket. QGA speaks QMP's JSON without a
 * greeting; a guest that runs no agent never answers, so every call has a time limit.
 */
export async function guestAgentCall<T = unknown>(
  socketPath: string,
  command: string,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const socket = createConnection({ path: socketPath });
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`guest agent: no answer to ${command} in ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (error: Error | null, value?: T) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value as T);
    };
    socket.setEncoding('utf8');
    socket.once('error', (error) => finish(error));
    socket.once('connect', () => socket.write(`${JSON.stringify({ execute: command })}\n`));
    socket.on('data', (text: string) => {
      buffer += text;
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      const message = JSON.parse(buffer.slice(0, newline)) as {
        return?: T;
        error?: { desc?: string };
      };
      if (message.error) finish(new Error(`guest agent: ${command}: ${message.error.desc}`));
      else finish(null, message.return);
    });
  });
}

export interface FreezeOptions {
  /** How long the guest agent gets to answer a ping; a guest without one costs this much. */
  readonly pingTimeoutMs: number;
  /** How long freezing may take, and the longest the filesystems stay frozen. */
  readonly freezeTimeoutMs: number;
}

/**
 * Runs `work` with the guest's filesystems frozen when the guest runs qemu-guest-agent, and as
 * is otherwise. They are thawed on every path, and by the guest agent itself should this process
 * die (QGA thaws when its client goes away only on some guests, so the time limit matters).
 */
export async function withFrozenFilesystems<T>(
  socketPath: string,
  options: FreezeOptions,
  work: () => Promise<T>,
): Promise<{ result: T; frozen: boolean }> {
  const reachable = await guestAgentCall(socketPath, 'guest-ping', options.pingTimeoutMs).then(
    () => true,
    () => false,
  );
  if (!reachable) return { result: await work(), frozen: false };
  let frozen = false;
  try {
    try {
      await guestAgentCall(socketPath, 'guest-fsfreeze-freeze', options.freezeTimeoutMs);
      frozen = true;
    } catch {
      // A guest whose freeze fails is captured crash-consistent rather than not at all; a freeze
      // that timed out may still have frozen some filesystems, hence the thaw below in any case.
    }
    return { result: await work(), frozen };
  } finally {
    await guestAgentCall(socketPath, 'guest-fsfreeze-thaw', options.freezeTimeoutMs).catch(
      () => undefined,
    );
  }
}
