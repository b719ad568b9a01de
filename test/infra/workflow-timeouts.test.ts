import { describe, expect, it } from 'vitest';
import { SNAPSHOT_READER_EXPIRY_SECONDS, UPLOAD_EXPIRY_SECONDS } from '../../blueprint/facts.ts';
import { assertWorkflowTimeout, WORKFLOWS } from '../../infra/catalog.ts';

function workflowNamed(name: string) {
  const found = WORKFLOWS.find((workflow) => workflow.name === name);
  if (found === undefined) throw new Error(`no workflow ${name} in the catalog`);
  return found;
}

describe('workflow timeouts', () => {
  it.each(['restore-slice', 'create-slice'])(
    'runs %s exactly as long as the snapshot reader it registers lasts',
    (name) => {
      expect(workflowNamed(name).timeoutSeconds).toBe(SNAPSHOT_READER_EXPIRY_SECONDS);
    },
  );

  it('runs create-snapshot exactly as long as the upload it registers lasts', () => {
    expect(workflowNamed('create-snapshot').timeoutSeconds).toBe(UPLOAD_EXPIRY_SECONDS);
  });

  it("accepts an ASL definition with its workflow's TimeoutSeconds", () => {
    const restore = workflowNamed('restore-slice');

    expect(() =>
      assertWorkflowTimeout(restore, JSON.stringify({ TimeoutSeconds: restore.timeoutSeconds })),
    ).not.toThrow();
  });

  it('refuses an ASL definition whose TimeoutSeconds drifted from its workflow', () => {
    const restore = workflowNamed('restore-slice');
    const longer = JSON.stringify({ TimeoutSeconds: SNAPSHOT_READER_EXPIRY_SECONDS + 1 });

    expect(() => assertWorkflowTimeout(restore, longer)).toThrow(
      `state-machines/restore-slice.asl.json has TimeoutSeconds ${SNAPSHOT_READER_EXPIRY_SECONDS + 1}`,
    );
    expect(() => assertWorkflowTimeout(restore, '{}')).toThrow('TimeoutSeconds undefined');
  });
});
