import { type AgentCommand, type AgentCommandType, COMMAND_TYPES } from './commands.ts';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly command: AgentCommand }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** Command IDs: what a Step Functions execution name or a ULID-based ID looks like. */
const COMMAND_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** Names that become file names or key segments: no dots, so never `..`. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** 16 TiB: the contract's largest disk (16384 GiB). */
export const MAX_DISK_BYTES = 16 * 1024 ** 4;
const MAX_BASE_SNAPSHOTS = 16;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a command body (every bad field named), without trusting any of it. */
export function parseCommand(body: unknown): ParseResult {
  const errors: FieldError[] = [];
  if (!isObject(body)) return { ok: false, errors: [{ path: '', message: 'expected an object' }] };
  const fail = (path: string, message: string) => errors.push({ path, message });
  const text = (path: string, pattern: RegExp, required = true): string | undefined => {
    const value = body[path];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || !pattern.test(value)) fail(path, `expected ${pattern}`);
    return typeof value === 'string' ? value : undefined;
  };
  const size = (path: string, required: boolean): number | undefined => {
    const value = body[path];
    if (value === undefined && !required) return undefined;
    if (
      !Number.isSafeInteger(value) ||
      (value as number) <= 0 ||
      (value as number) > MAX_DISK_BYTES
    ) {
      fail(path, `expected an integer from 1 to ${MAX_DISK_BYTES}`);
    }
    return value as number;
  };

  text('commandId', COMMAND_ID);
  text('sliceId', NAME);
  const type = body.type;
  if (typeof type !== 'string' || !(COMMAND_TYPES as readonly string[]).includes(type)) {
    fail('type', `expected one of ${COMMAND_TYPES.join(', ')}`);
  }
  const callback = body.callback;
  if (callback !== undefined) {
    if (!isObject(callback)) fail('callback', 'expected { url, taskToken }');
    else {
      if (typeof callback.url !== 'string' || !/^https?:\/\/[^\s]+$/.test(callback.url)) {
        fail('callback.url', 'expected an http(s) URL');
      }
      const token = callback.taskToken;
      if (typeof token !== 'string' || token.length === 0 || token.length > 8192) {
        fail('callback.taskToken', 'expected a non-empty string of at most 8192 characters');
      }
    }
  }
  const baseSnapshots = () => {
    const bases = body.baseSnapshotIds;
    if (
      bases !== undefined &&
      (!Array.isArray(bases) ||
        bases.length > MAX_BASE_SNAPSHOTS ||
        !bases.every((id) => typeof id === 'string' && NAME.test(id)))
    ) {
      fail('baseSnapshotIds', `expected at most ${MAX_BASE_SNAPSHOTS} snapshot IDs`);
    }
  };
  switch (type as AgentCommandType) {
    case 'create-disk':
      size('sizeBytes', true);
      break;
    case 'power-off': {
      const timeout = body.gracefulTimeoutSeconds;
      if (
        timeout !== undefined &&
        (typeof timeout !== 'number' || !(timeout >= 0) || timeout > 3600)
      ) {
        fail('gracefulTimeoutSeconds', 'expected a number from 0 to 3600');
      }
      break;
    }
    case 'capture':
      text('captureId', NAME);
      baseSnapshots();
      break;
    case 'quote':
      baseSnapshots();
      break;
    case 'discard-capture':
      text('captureId', NAME);
      break;
    case 'upload': {
      text('captureId', NAME);
      text('accountId', NAME);
      text('snapshotId', NAME);
      baseSnapshots();
      if (body.keepCapture !== undefined && typeof body.keepCapture !== 'boolean') {
        fail('keepCapture', 'expected a boolean');
      }
      break;
    }
    case 'write-image':
      text('accountId', NAME);
      text('snapshotId', NAME);
      size('sizeBytes', false);
      text('rollbackId', NAME, false);
      break;
    case 'roll-back-image':
    case 'discard-rollback':
      text('rollbackId', NAME);
      break;
    default:
      break;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, command: body as unknown as AgentCommand };
}
