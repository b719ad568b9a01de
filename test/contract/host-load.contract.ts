import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HostLoad } from '../../core/ports/host-load.ts';
import { anId } from '../support/records.ts';

/** The behaviour every HostLoad shares. */
export function hostLoadContract(make: () => HostLoad): void {
  let load: HostLoad;
  let hostA: string;
  let hostB: string;

  beforeEach(() => {
    load = make();
    // Fresh host ids: tests sharing a table never count each other's slices.
    hostA = `host-${randomUUID()}`;
    hostB = `host-${randomUUID()}`;
  });

  describe('slicesOn', () => {
    it('counts no slice on a host never used', async () => {
      expect(await load.slicesOn([hostA])).toEqual(new Map([[hostA, 0]]));
    });

    it('counts each host on its own', async () => {
      await load.claim(hostA, anId('slice'));
      await load.claim(hostA, anId('slice'));
      await load.claim(hostB, anId('slice'));

      const counted = await load.slicesOn([hostA, hostB]);

      expect(counted).toEqual(
        new Map([
          [hostA, 2],
          [hostB, 1],
        ]),
      );
    });
  });

  describe('claim', () => {
    it('counts a slice claimed twice once', async () => {
      const slice = anId('slice');
      await load.claim(hostA, slice);

      await load.claim(hostA, slice);

      expect((await load.slicesOn([hostA])).get(hostA)).toBe(1);
    });

    it('counts claims made at once, each exactly once', async () => {
      const slices = Array.from({ length: 8 }, () => anId('slice'));

      await Promise.all([...slices, ...slices].map((slice) => load.claim(hostA, slice)));

      expect((await load.slicesOn([hostA])).get(hostA)).toBe(8);
    });
  });

  describe('release', () => {
    it('uncounts a claimed slice, once', async () => {
      const kept = anId('slice');
      const released = anId('slice');
      await load.claim(hostA, kept);
      await load.claim(hostA, released);

      await load.release(hostA, released);
      await load.release(hostA, released);

      expect((await load.slicesOn([hostA])).get(hostA)).toBe(1);
    });

    it('changes nothing for a slice never claimed on that host', async () => {
      const slice = anId('slice');
      await load.claim(hostB, slice);

      await load.release(hostA, slice);

      expect(await load.slicesOn([hostA, hostB])).toEqual(
        new Map([
          [hostA, 0],
          [hostB, 1],
        ]),
      );
    });
  });
}
