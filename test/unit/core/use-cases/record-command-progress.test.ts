import { describe, expect, it } from 'vitest';
import { reportAgentCallback } from '../../../../core/use-cases/report-agent-callback.ts';
import { ACCOUNT, givenPorts, HOST, NOW } from './support/given-ports.ts';
import { anActiveSlice, anUploadingSnapshot } from './support/use-case-steps.ts';

const TOKEN = 'token-upload';
const GIB = 2 ** 30;

describe('reportAgentCallback with progress', () => {
  const given = givenPorts(async (ports) => {
    const slice = await anActiveSlice(ports, { usedBytes: GIB });
    const { step } = await anUploadingSnapshot(ports, slice);
    ports.workflowTasks.wait(TOKEN);
    await ports.commandContexts.save(
      TOKEN,
      {
        accountId: ACCOUNT,
        hostId: HOST,
        operationId: step.operationId,
        snapshotId: step.snapshotId,
      },
      new Date(Date.parse(NOW) + 3_600_000),
    );
    return { step };
  });

  const heartbeat = (bytesDone: number, bytesTotal = 2 * GIB, hostId = HOST) =>
    reportAgentCallback(
      given.ports,
      { kind: 'heartbeat', taskToken: TOKEN, progress: { bytesDone, bytesTotal } },
      hostId,
    );

  it("writes a heartbeat's progress to the snapshot and its operation, with the measured total", async () => {
    const { ports, step } = given;
    ports.clock.advanceSeconds(10);

    await heartbeat(GIB / 2);

    const at = '2025-03-01T10:00:10.000Z';
    expect((await ports.snapshots.get(ACCOUNT, step.snapshotId))?.progress).toEqual({
      bytesDone: GIB / 2,
      bytesTotal: 2 * GIB,
      startedAt: NOW,
      updatedAt: at,
      advancedAt: at,
    });
    expect((await ports.operations.get(ACCOUNT, step.operationId))?.progress).toMatchObject({
      bytesDone: GIB / 2,
      bytesTotal: 2 * GIB,
      updatedAt: at,
    });
    expect(ports.workflowTasks.reports).toEqual([{ taskToken: TOKEN, kind: 'heartbeat' }]);
  });

  it('writes at most once every two seconds, however fast heartbeats come', async () => {
    const { ports, step } = given;
    ports.clock.advanceSeconds(10);
    await heartbeat(100);
    ports.clock.advanceSeconds(1.5);
    await heartbeat(200);
    const throttled = (await ports.snapshots.get(ACCOUNT, step.snapshotId))?.progress.bytesDone;
    ports.clock.advanceSeconds(0.5);
    await heartbeat(300);

    expect(throttled).toBe(100);
    expect((await ports.snapshots.get(ACCOUNT, step.snapshotId))?.progress.bytesDone).toBe(300);
    expect(ports.workflowTasks.reports).toHaveLength(3);
  });

  it('writes nothing reported by another host than the one the command went to', async () => {
    const { ports, step } = given;
    ports.clock.advanceSeconds(10);

    await heartbeat(GIB / 2, 2 * GIB, 'nyc1-b');

    expect((await ports.snapshots.get(ACCOUNT, step.snapshotId))?.progress.bytesDone).toBe(0);
  });

  it('writes nothing for a command without a recorded context', async () => {
    const { ports, step } = given;
    ports.workflowTasks.wait('token-other');
    ports.clock.advanceSeconds(10);

    await reportAgentCallback(
      ports,
      { kind: 'heartbeat', taskToken: 'token-other', progress: { bytesDone: 5, bytesTotal: 9 } },
      HOST,
    );

    expect((await ports.snapshots.get(ACCOUNT, step.snapshotId))?.progress.bytesDone).toBe(0);
    expect(ports.workflowTasks.reports).toEqual([{ taskToken: 'token-other', kind: 'heartbeat' }]);
  });
});
