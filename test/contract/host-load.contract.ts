import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HostLoad } from '../../core/ports/host-load.ts';
import { anId } from '../support/records.ts';
import { freshPerTest } from './describe-contract.ts';

/** The behaviour every HostLoad shares. */
export function hostLoadContract(make: () => HostLoad): void {
  // Fresh host ids: tests sharing a table never count each other's slices.
  const fresh = freshPerTest(() => ({
    load: make(),
    hostA: `host-${randomUUID()}`,
    hostB: `host-${randomUUID()}`,
  }));

  describe('slicesOn', () => {
    it('counts no slice on a host never used', async () => {
      expect(await fresh.load.slicesOn([fresh.hostA])).toEqual(new Map([[fresh.hostA, 0]]));
    });

    it('counts each host on its own', async () => {
      await fresh.load.claim(fresh.hostA, anId('slice'));
      await fresh.load.claim(fresh.hostA, anId('slice'));
      await fresh.load.claim(fresh.hostB, anId('slice'));

      const counted = await fresh.load.slicesOn([fresh.hostA, fresh.hostB]);

      expect(counted).toEqual(
        new Map([
          [fresh.hostA, 2],
          [fresh.hostB, 1],
        ]),
      );
    });
  });

  describe('claim', () => {
    it('counts a slice claimed twice once', async () => {
      const slice = anId('slice');
      await fresh.load.claim(fresh.hostA, slice);

      await fresh.load.claim(fresh.hostA, slice);

      expect((await fresh.load.slicesOn([fresh.hostA])).get(fresh.hostA)).toBe(1);
    });

    it('counts claims made at once, each exactly once', async () => {
      const slices = Array.from({ length: 8 }, () => anId('slice'));

      await Promise.all(
        [...slices, ...slices].map((slice) => fresh.load.claim(fresh.hostA, slice)),
      );

      expect((await fresh.load.slicesOn([fresh.hostA])).get(fresh.hostA)).toBe(8);
    });
  });

  describe('release', () => {
    it('uncounts a claimed slice, once', async () => {
      const kept = anId('slice');
      const released = anId('slice');
      await fresh.load.claim(fresh.hostA, kept);
      await fresh.load.claim(fresh.hostA, released);

      await fresh.load.release(fresh.hostA, released);
      await fresh.load.release(fresh.hostA, released);

      expect((await fresh.load.slicesOn([fresh.hostA])).get(fresh.hostA)).toBe(1);
    });

    it('changes nothing for a slice never claimed on that host', async () => {
      const slice = anId('slice');
      await fresh.load.claim(fresh.hostB, slice);

      await fresh.load.release(fresh.hostA, slice);

      expect(await fresh.load.slicesOn([fresh.hostA, fresh.hostB])).toEqual(
        new Map([
          [fresh.hostA, 0],
          [fresh.hostB, 1],
        ]),
      );
    });
  });
}
