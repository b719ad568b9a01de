import { createHmac } from 'node:crypto';
import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../adapters/memory/manual-clock.ts';
import { ConfiguredRegionCatalog } from '../../../../adapters/node/configured-region-catalog.ts';
import { HmacSigner } from '../../../../adapters/node/hmac-signer.ts';
import { SystemClock } from '../../../../adapters/node/system-clock.ts';
import { UlidIdGenerator } from '../../../../adapters/node/ulid-id-generator.ts';
import { isResourceId } from '../../../../core/shared/ids.ts';

describe('UlidIdGenerator', () => {
  it('issues prefixed ULIDs that keep increasing within one millisecond', () => {
    const clock = new ManualClock('2025-03-01T10:00:00.000Z');
    const ids = new UlidIdGenerator({ clock });

    const issued = Array.from({ length: 1000 }, () => ids.next('snapshot'));

    expect(issued.every((id) => isResourceId('snapshot', id))).toBe(true);
    expect([...issued].sort()).toEqual(issued);
    expect(new Set(issued).size).toBe(1000);
    expect(decodeTime(issued[0]?.slice(4) ?? '')).toBe(Date.parse('2025-03-01T10:00:00.000Z'));
  });

  it('uses the prefix of each kind', () => {
    const ids = new UlidIdGenerator();

    expect(isResourceId('slice', ids.next('slice'))).toBe(true);
    expect(isResourceId('operation', ids.next('operation'))).toBe(true);
  });
});

describe('HmacSigner', () => {
  it('signs with HMAC-SHA256 (RFC 4231 case 6) in base64url', () => {
    const key = Buffer.alloc(131, 0xaa);
    const signer = new HmacSigner(key);

    const signature = signer.sign('Test Using Larger Than Block-Size Key - Hash Key First');

    expect(Buffer.from(signature, 'base64url').toString('hex')).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('differs by key and refuses keys shorter than 32 bytes', () => {
    const a = new HmacSigner('a'.repeat(32)).sign('m');
    const b = new HmacSigner('b'.repeat(32)).sign('m');

    expect(a).not.toBe(b);
    expect(a).toBe(createHmac('sha256', 'a'.repeat(32)).update('m').digest('base64url'));
    expect(() => new HmacSigner('short')).toThrow('32 bytes');
  });
});

describe('ConfiguredRegionCatalog', () => {
  it('lists and finds the configured regions', async () => {
    const catalog = new ConfiguredRegionCatalog([{ id: 'fra1', name: 'Frankfurt 1' }]);

    expect(await catalog.list()).toEqual([{ id: 'fra1', name: 'Frankfurt 1' }]);
    expect(await catalog.find('fra1')).toEqual({ id: 'fra1', name: 'Frankfurt 1' });
    expect(await catalog.find('nyc1')).toBeNull();
  });

  it('refuses duplicate region ids', () => {
    expect(
      () =>
        new ConfiguredRegionCatalog([
          { id: 'fra1', name: 'a' },
          { id: 'fra1', name: 'b' },
        ]),
    ).toThrow('unique');
  });
});

describe('SystemClock', () => {
  it('tells the machine’s time', () => {
    const before = Date.now();

    const now = new SystemClock().now().getTime();

    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
