import type { HostLoad } from '../../core/ports/host-load.ts';

/** Host load in memory: the set of slices counted on each host. */
export class MemoryHostLoad implements HostLoad {
  readonly #slices = new Map<string, Set<string>>();

  async slicesOn(hostIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return new Map(hostIds.map((id) => [id, this.#slices.get(id)?.size ?? 0]));
  }

  async claim(hostId: string, sliceId: string): Promise<void> {
    const slices = this.#slices.get(hostId) ?? new Set<string>();
    slices.add(sliceId);
    this.#slices.set(hostId, slices);
  }

  async release(hostId: string, sliceId: string): Promise<void> {
    this.#slices.get(hostId)?.delete(sliceId);
  }

  /** The slices counted on a host, for tests to read. */
  slicesOnHost(hostId: string): readonly string[] {
    return [...(this.#slices.get(hostId) ?? [])];
  }
}
