import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpConnectionError, QmpError } from '../../../../agent/qemu/qmp-client.ts';

interface FakeQemu {
  readonly path: string;
  readonly received: Record<string, unknown>[];
  emit(event: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** A QMP server that greets, answers each command with `answer(command)` and can emit events. */
async function fakeQemu(
  answer: (command: Record<string, unknown>) => Record<string, unknown> | null,
): Promise<FakeQemu> {
  const dir = mkdtempSync(join(tmpdir(), 'qmp-'));
  const path = join(dir, 'qmp.sock');
  const received: Record<string, unknown>[] = [];
  const clients = new Set<Socket>();
  const server: Server = createServer((socket) => {
    clients.add(socket);
    socket.write('{"QMP": {"version": {"qemu": {"major": 7}}, "capabilities": []}}\r\n');
    let buffer = '';
    socket.on('data', (data) => {
      buffer += data.toString();
      for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
        const command = JSON.parse(buffer.slice(0, at)) as Record<string, unknown>;
        buffer = buffer.slice(at + 1);
        received.push(command);
        const reply = answer(command);
        // Answers arrive in two pieces, as a stream may split them.
        if (reply) {
          const text = `${JSON.stringify({ ...reply, id: command.id })}\r\n`;
          socket.write(text.slice(0, 5));
          socket.write(text.slice(5));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    path,
    received,
    emit: (event) => {
      for (const socket of clients) socket.write(`${JSON.stringify(event)}\r\n`);
    },
    close: async () => {
      for (const socket of clients) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let qemu: FakeQemu | undefined;
afterEach(async () => {
  await qemu?.close();
  qemu = undefined;
});

describe('QmpClient', () => {
  it('negotiates capabilities, then matches answers to commands by id', async () => {
    qemu = await fakeQemu((command) =>
      command.execute === 'query-status'
        ? { return: { status: 'running' } }
        : command.execute === 'query-jobs'
          ? { return: [] }
          : { return: {} },
    );

    const client = await QmpClient.connect(qemu.path);
    const [status, jobs] = await Promise.all([
      client.execute('query-status'),
      client.execute('query-jobs'),
    ]);
    client.close();

    expect(status).toEqual({ status: 'running' });
    expect(jobs).toEqual([]);
    expect(qemu.received.map((c) => c.execute)).toEqual([
      'qmp_capabilities',
      'query-status',
      'query-jobs',
    ]);
    expect(new Set(qemu.received.map((c) => c.id)).size).toBe(3);
  });

  it('rejects a refused command with QEMU’s error class and description', async () => {
    qemu = await fakeQemu((command) =>
      command.execute === 'blockdev-del'
        ? { error: { class: 'GenericError', desc: "Failed to find node with node-name='x'" } }
        : { return: {} },
    );
    const client = await QmpClient.connect(qemu.path);

    const refused = client.execute('blockdev-del', { 'node-name': 'x' });

    await expect(refused).rejects.toBeInstanceOf(QmpError);
    await expect(refused).rejects.toMatchObject({
      errorClass: 'GenericError',
      message: "blockdev-del: Failed to find node with node-name='x'",
    });
    expect(qemu.received.at(-1)).toMatchObject({ arguments: { 'node-name': 'x' } });
    client.close();
  });

  it('delivers the first matching event after subscribing, not earlier ones', async () => {
    qemu = await fakeQemu(() => ({ return: {} }));
    const client = await QmpClient.connect(qemu.path);
    qemu.emit({ event: 'BLOCK_JOB_COMPLETED', data: { device: 'old' } });
    await client.execute('query-status');

    const completed = client.nextEvent(
      (event) => event.event === 'BLOCK_JOB_COMPLETED' && event.data?.device === 'job-1',
      1000,
    );
    qemu.emit({ event: 'JOB_STATUS_CHANGE', data: { id: 'job-1', status: 'running' } });
    qemu.emit({ event: 'BLOCK_JOB_COMPLETED', data: { device: 'job-1', len: 4 } });

    await expect(completed).resolves.toMatchObject({ data: { device: 'job-1', len: 4 } });
    client.close();
  });

  it('fails pending commands and awaited events when QEMU goes away', async () => {
    qemu = await fakeQemu((command) =>
      command.execute === 'system_powerdown' ? null : { return: {} },
    );
    const client = await QmpClient.connect(qemu.path);
    const pending = client.execute('system_powerdown');
    const shutdown = client.nextEvent((event) => event.event === 'SHUTDOWN', 5000);

    await qemu.close();
    qemu = undefined;

    await expect(pending).rejects.toBeInstanceOf(QmpConnectionError);
    await expect(shutdown).rejects.toBeInstanceOf(QmpConnectionError);
    await client.closed;
    expect(client.isClosed).toBe(true);
  });

  it('gives up on a socket that never greets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-'));
    const path = join(dir, 'silent.sock');
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(path, resolve));

    const connecting = QmpClient.connect(path, { timeoutMs: 100 });

    await expect(connecting).rejects.toThrow(/no QMP greeting/);
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
