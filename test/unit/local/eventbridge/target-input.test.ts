import { describe, expect, it } from 'vitest';
import {
  parseInputPath,
  targetInput,
  validateTargetInput,
} from '../../../../local/eventbridge/target-input.ts';

const event = {
  id: 'e1',
  'detail-type': 'Snapshot Available',
  detail: { snapshotId: 'snp_01', 'size-bytes': 5, chunks: [{ hash: 'h0' }, { hash: 'h1' }] },
};

describe('targetInput', () => {
  it('passes the whole event without Input or InputPath', () => {
    expect(targetInput(event, {})).toEqual({ ok: true, payload: event });
  });

  it('passes the constant JSON of Input', () => {
    expect(targetInput(event, { Input: '{"kind":"billing"}' })).toEqual({
      ok: true,
      payload: { kind: 'billing' },
    });
  });

  it.each([
    ['$', event],
    ['$.detail', event.detail],
    ['$.detail.snapshotId', 'snp_01'],
    ["$.detail['size-bytes']", 5],
    ['$.detail.chunks[1].hash', 'h1'],
    ['$["detail-type"]', 'Snapshot Available'],
  ])('selects %s', (path, expected) => {
    expect(targetInput(event, { InputPath: path })).toEqual({ ok: true, payload: expected });
  });

  it('fails when the InputPath selects nothing', () => {
    const result = targetInput(event, { InputPath: '$.detail.sliceId' });

    expect(result).toEqual({ ok: false, error: expect.stringMatching(/selects nothing/) });
  });
});

describe('validateTargetInput', () => {
  it('refuses Input and InputPath together, Input that is not JSON and unsupported paths', () => {
    expect(validateTargetInput({ Input: '{}', InputPath: '$' })).toMatch(/Only one of/);
    expect(validateTargetInput({ Input: '{nope' })).toMatch(/not valid JSON/);
    expect(validateTargetInput({ InputPath: 'detail' })).toMatch(/not a supported JSONPath/);
    expect(validateTargetInput({ InputPath: '$.detail..x' })).toMatch(/not a supported JSONPath/);
  });

  it('accepts a constant or a path alone', () => {
    expect(validateTargetInput({ Input: '"text"' })).toBeUndefined();
    expect(validateTargetInput({ InputPath: '$.detail' })).toBeUndefined();
  });
});

describe('parseInputPath', () => {
  it('splits a path into names and indexes', () => {
    expect(parseInputPath("$.a['b.c'][2]")).toEqual(['a', 'b.c', 2]);
  });
});
