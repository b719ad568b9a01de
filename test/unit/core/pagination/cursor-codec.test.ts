import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacSigner } from '../../../../adapters/node/hmac-signer.ts';
import {
  decodeAsciiBase64Url,
  encodeAsciiBase64Url,
} from '../../../../core/pagination/base64url.ts';
import { CursorCodec, cursorScope } from '../../../../core/pagination/cursor-codec.ts';
import { InvalidCursorError } from '../../../../core/shared/persistence-errors.ts';

const codec = new CursorCodec(new HmacSigner('unit-test-cursor-key-0123456789abcdef'));
const ID = 'snp_01JNZ5Y1Q0000000000000000A';
const anyId = () => true;
const scope = cursorScope('snapshots', 'acct-1', { region: 'fra1', sliceId: null });

describe('CursorCodec', () => {
  it('gives back the position it encoded for the same scope', () => {
    const cursor = codec.encode(scope, ID);

    expect(codec.decode(scope, cursor, anyId)).toBe(ID);
    expect(cursor).not.toContain(ID);
  });

  it('refuses a cursor of another account, list or filter', () => {
    const cursor = codec.encode(scope, ID);
    const others = [
      cursorScope('snapshots', 'acct-2', { region: 'fra1', sliceId: null }),
      cursorScope('slices', 'acct-1', { region: 'fra1', sliceId: null }),
      cursorScope('snapshots', 'acct-1', { region: 'nyc1', sliceId: null }),
      cursorScope('snapshots', 'acct-1', {}),
    ];

    for (const other of others) {
      expect(() => codec.decode(other, cursor, anyId)).toThrow(InvalidCursorError);
    }
  });

  it('binds filters whatever order they are given in', () => {
    const a = cursorScope('snapshots', 'acct-1', { region: 'fra1', sliceId: 'slc_1' });
    const b = cursorScope('snapshots', 'acct-1', { sliceId: 'slc_1', region: 'fra1' });

    expect(a).toBe(b);
  });

  it('refuses any change to a cursor', () => {
    const cursor = codec.encode(scope, ID);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: cursor.length - 1 }),
        fc.constantFrom(...'ABCabc019-_.'),
        (at, replacement) => {
          fc.pre(cursor[at] !== replacement);
          const changed = `${cursor.slice(0, at)}${replacement}${cursor.slice(at + 1)}`;
          expect(() => codec.decode(scope, changed, anyId)).toThrow(InvalidCursorError);
        },
      ),
    );
  });

  it('refuses garbage, a cursor signed with another key and an unexpected position', () => {
    const foreignCodec = new CursorCodec(new HmacSigner('another-cursor-key-0123456789abcdef'));
    const foreign = foreignCodec.encode(scope, ID);
    const cursor = codec.encode(scope, ID);

    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (garbage) => {
        expect(() => codec.decode(scope, garbage, anyId)).toThrow(InvalidCursorError);
      }),
    );
    expect(() => codec.decode(scope, foreign, anyId)).toThrow(InvalidCursorError);
    expect(() => codec.decode(scope, cursor, () => false)).toThrow(InvalidCursorError);
    expect(() => codec.decode(scope, 'x'.repeat(10_000), anyId)).toThrow(InvalidCursorError);
  });
});

describe('base64url', () => {
  it('round-trips any printable ASCII text', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
        }),
        (text) => {
          expect(decodeAsciiBase64Url(encodeAsciiBase64Url(text))).toBe(text);
        },
      ),
    );
  });

  it('refuses non-canonical or foreign encodings', () => {
    expect(decodeAsciiBase64Url('a')).toBeNull();
    expect(decodeAsciiBase64Url('YQ==')).toBeNull();
    expect(decodeAsciiBase64Url('YR')).toBeNull();
    expect(decodeAsciiBase64Url('_w')).toBeNull();
    expect(decodeAsciiBase64Url('YQ')).toBe('a');
  });
});
