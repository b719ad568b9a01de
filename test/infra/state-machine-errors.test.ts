import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_ERROR_NAMES } from '../../agent/protocol/errors.ts';
import { AgentUnreachableError } from '../../core/agents/agent-errors.ts';
import { BillingRunIncompleteError } from '../../core/billing/billing-errors.ts';
import { PolicySliceBusyError } from '../../core/policies/policy-run.ts';
import {
  ImageIncompleteError,
  ImageManifestCorruptError,
} from '../../core/snapshots/image-errors.ts';
import {
  IllegalSnapshotTransitionError,
  SnapshotBeingDeletedError,
  SnapshotNotFoundError,
  SnapshotProtectedError,
} from '../../core/snapshots/snapshot-errors.ts';
import { MarkTallyMissingError } from '../../core/storage/storage-errors.ts';
import { PROJECT_ROOT } from './support/synth.ts';

/**
 * Every error name an ASL `Retry` or `Catch` may match: what Step Functions and Lambda raise
 * (`States.*`, `Lambda.*`), the agent's error names, and the errors the task functions throw.
 */
const KNOWN_NAMES = new Set<string>([
  ...AGENT_ERROR_NAMES,
  new AgentUnreachableError('host', 'reason').name,
  new SnapshotProtectedError('snapshot').name,
  new SnapshotBeingDeletedError('snapshot').name,
  new SnapshotNotFoundError('snapshot').name,
  new BillingRunIncompleteError('2026-03', []).name,
  new PolicySliceBusyError('slice').name,
  new ImageManifestCorruptError('snapshot', 'reason').name,
  new ImageIncompleteError('snapshot', 'reason').name,
  new IllegalSnapshotTransitionError('snapshot', 'copying', 'available').name,
  new MarkTallyMissingError('account', 'mark').name,
]);
const SERVICE_PREFIXES = ['States.', 'Lambda.'];

function errorNamesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(errorNamesIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'ErrorEquals' && Array.isArray(child) ? child.map(String) : errorNamesIn(child),
  );
}

const ASL_DIRECTORY = path.join(PROJECT_ROOT, 'state-machines');
const ASL_FILES = readdirSync(ASL_DIRECTORY).filter((file) => file.endsWith('.asl.json'));

describe('state machine error names', () => {
  it.each(ASL_FILES)('%s matches only errors that something raises', (file) => {
    const machine: unknown = JSON.parse(readFileSync(path.join(ASL_DIRECTORY, file), 'utf8'));

    const unknown = errorNamesIn(machine).filter(
      (name) =>
        !KNOWN_NAMES.has(name) && !SERVICE_PREFIXES.some((prefix) => name.startsWith(prefix)),
    );

    expect(unknown).toEqual([]);
  });
});
