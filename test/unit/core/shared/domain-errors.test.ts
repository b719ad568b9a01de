import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentFailure } from '../../../../agent/errors.ts';
import { AgentRefusedError } from '../../../../core/agents/agent-errors.ts';
import { DomainError, InvalidInputError } from '../../../../core/shared/domain-error.ts';
import { ERROR_STATUS } from '../../../../core/shared/error-codes.ts';
import {
  IllegalSliceTransitionError,
  SliceBusyError,
} from '../../../../core/slices/slice-errors.ts';
import { SnapshotInUseError } from '../../../../core/snapshots/snapshot-errors.ts';
import { EVERY_ERROR } from './every-error.ts';

type ErrorClass = abstract new (...args: never[]) => DomainError;

const ROOT = path.resolve(import.meta.dirname, '../../../..');

/** Every error class exported by the core and by the agent's error module. */
async function exportedErrorClasses(): Promise<ErrorClass[]> {
  const files = readdirSync(path.join(ROOT, 'core'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(ROOT, 'core', file));
  const modules = await Promise.all(
    [...files, path.join(ROOT, 'agent', 'errors.ts')].map(
      (file) => import(file) as Promise<Record<string, unknown>>,
    ),
  );
  return modules.flatMap((module) =>
    Object.values(module).filter(
      (value): value is ErrorClass =>
        typeof value === 'function' && value.prototype instanceof DomainError,
    ),
  );
}

describe('domain errors', () => {
  it.each(EVERY_ERROR.map(([error, name, code]) => ({ error, name, code })))(
    '$name carries the code $code from the table',
    ({ error, name, code }) => {
      expect(error).toBeInstanceOf(DomainError);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      // Its class says the same without an error at hand, as the workflows' failures read it;
      // but a host's errors, each named by the host's own error name, have a class that says none.
      const { errorName, errorCode } = error.constructor as unknown as Record<string, unknown>;
      const ofHost = error instanceof AgentRefusedError || error instanceof AgentFailure;
      const named = ofHost ? {} : { errorName: name, errorCode: code };
      expect({ errorName, errorCode }).toEqual(named);
      expect(ERROR_STATUS[error.code]).toBeGreaterThanOrEqual(400);
      expect(error.message.length).toBeGreaterThan(0);
    },
  );

  it('lists one of every exported error class in every-error.ts', async () => {
    const classes = await exportedErrorClasses();
    const listed = new Set(EVERY_ERROR.map(([error]) => error.constructor));

    const unlisted = classes.filter((each) => !listed.has(each)).map((each) => each.name);

    expect(classes.length).toBeGreaterThanOrEqual(EVERY_ERROR.length);
    expect(unlisted).toEqual([]);
  });

  it('names the operation in the way of a busy slice', () => {
    const error = new SliceBusyError('slc_1', {
      operationId: 'op_7',
      operationType: 'snapshot.create',
      power: 'on',
    });

    expect(error.message).toContain('op_7');
    expect(error.holder.operationId).toBe('op_7');
    expect(error.inTheWay).toEqual({ operationId: 'op_7', operationType: 'snapshot.create' });
  });

  it('names the operation reading a snapshot that is in use', () => {
    const error = new SnapshotInUseError('snp_1', {
      operationId: 'op_8',
      operationType: 'slice.create',
    });

    expect(error.inTheWay).toEqual({ operationId: 'op_8', operationType: 'slice.create' });
  });

  it('names no operation for a conflict that has none', () => {
    const error = new IllegalSliceTransitionError('slc_1', 'deleted', 'busy');

    expect(error.inTheWay).toBeUndefined();
  });

  it('names every bad field of invalid input', () => {
    const error = new InvalidInputError([
      { path: 'name', message: 'must not be empty' },
      { path: 'diskGB', message: 'must be a whole number' },
    ]);

    expect(error.issues.map((issue) => issue.path)).toEqual(['name', 'diskGB']);
    expect(error.message).toBe('name: must not be empty; diskGB: must be a whole number');
  });

  it('gives a refused agent command the code of the name the agent answered', () => {
    const refused = new AgentRefusedError('host-1', 'SliceBusy', 409, 'busy with cmd-1');

    expect(refused.name).toBe('SliceBusy');
    expect(refused.code).toBe('SLICE_BUSY');
    expect(refused.status).toBe(409);
  });
});
