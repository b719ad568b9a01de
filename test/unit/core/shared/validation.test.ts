import { describe, expect, it } from 'vitest';
import { parsePageRequest } from '../../../../core/pagination/page.ts';
import { InvalidInputError } from '../../../../core/shared/domain-error.ts';
import { isResourceId } from '../../../../core/shared/ids.ts';
import { nameIssues, parseName } from '../../../../core/shared/names.ts';
import { BYTES_PER_GIB, bytesToDisplayGib } from '../../../../core/shared/sizes.ts';
import { diskGbIssues } from '../../../../core/slices/disk-size.ts';

describe('names', () => {
  it('trims and accepts 1 to 255 printable characters', () => {
    expect(parseName('  web 1  ')).toBe('web 1');
    expect(parseName('é'.repeat(255))).toBe('é'.repeat(255));
    expect(parseName('😀'.repeat(255))).toHaveLength(510);
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['x'.repeat(256), 'at most 255'],
    ['tab\there', 'printable'],
    ['new\nline', 'printable'],
    ['nul\u0000', 'printable'],
    ['del\u007f', 'printable'],
    ['sep\u2028arator', 'printable'],
    ['lone\ud800', 'printable'],
  ])('refuses %j', (raw, message) => {
    expect(nameIssues(raw)).toEqual([{ path: 'name', message: expect.stringContaining(message) }]);
    expect(() => parseName(raw)).toThrow(InvalidInputError);
  });

  it('refuses a non-string', () => {
    expect(nameIssues(5, 'body.name')).toEqual([
      { path: 'body.name', message: 'must be a string' },
    ]);
  });
});

describe('diskGbIssues', () => {
  it.each([1, 25, 16_384])('accepts %s', (diskGB) => {
    expect(diskGbIssues(diskGB)).toEqual([]);
  });

  it.each([0, 1.5, '1', 16_385, -1, Number.NaN, null])('refuses %j', (diskGB) => {
    expect(diskGbIssues(diskGB)).toEqual([
      { path: 'diskGB', message: 'must be a whole number from 1 to 16384' },
    ]);
  });
});

describe('isResourceId', () => {
  it('accepts a prefix and an upper-case ULID only', () => {
    expect(isResourceId('slice', 'slc_01JNZ5Y1Q0000000000000000A')).toBe(true);
    expect(isResourceId('snapshot', 'slc_01JNZ5Y1Q0000000000000000A')).toBe(false);
    expect(isResourceId('slice', 'slc_01jnz5y1q0000000000000000a')).toBe(false);
    expect(isResourceId('slice', 'slc_01JNZ5Y1Q0000000000000000')).toBe(false);
    expect(isResourceId('slice', 'slc_81JNZ5Y1Q0000000000000000A')).toBe(false);
    expect(isResourceId('operation', 'op_01JNZ5Y1Q000000000000000IL')).toBe(false);
  });
});

describe('bytesToDisplayGib', () => {
  it('rounds to two decimals, half up', () => {
    expect(bytesToDisplayGib(40 * BYTES_PER_GIB)).toBe(40);
    expect(bytesToDisplayGib(Math.ceil(BYTES_PER_GIB / 200))).toBe(0.01);
    expect(bytesToDisplayGib(Math.floor(BYTES_PER_GIB / 200))).toBe(0);
    expect(bytesToDisplayGib(Math.floor(BYTES_PER_GIB * 1.234))).toBe(1.23);
  });
});

describe('parsePageRequest', () => {
  it('defaults to 50 and accepts 1 to 100', () => {
    expect(parsePageRequest({})).toEqual({ limit: 50, cursor: null });
    expect(parsePageRequest({ limit: 1, cursor: 'c' })).toEqual({ limit: 1, cursor: 'c' });
    expect(parsePageRequest({ limit: 100 }).limit).toBe(100);
  });

  it.each([0, 101, 1.5, -1])('refuses a limit of %s naming the field', (limit) => {
    expect(() => parsePageRequest({ limit })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'limit' })] }),
    );
  });
});
