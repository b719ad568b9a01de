import type { MemoryPorts } from '../../../../../adapters/memory/memory-ports.ts';
import { finishChunkSweep } from '../../../../../core/use-cases/finish-chunk-sweep.ts';
import { finishStorageMark } from '../../../../../core/use-cases/finish-storage-mark.ts';
import {
  type MarkStoragePageOutput,
  markStoragePage,
} from '../../../../../core/use-cases/mark-storage-page.ts';
import { publishChunkSweep } from '../../../../../core/use-cases/publish-chunk-sweep.ts';
import {
  type SweepStepOutput,
  sweepChunkPages,
} from '../../../../../core/use-cases/sweep-chunk-pages.ts';

/** The steps of a storage pass, in the storage-mark workflow's order, to stop between. */
export interface StoragePassSteps {
  readonly accountId: string;
  readonly markId: string;
  publish(): Promise<void>;
  /** Every page of the mark, then its figures. */
  mark(): Promise<{ pages: number; asOf: string }>;
  /** Every step of the sweep. */
  sweep(): Promise<SweepStepOutput>;
  finish(): ReturnType<typeof finishChunkSweep>;
}

/** A storage pass of the account run step by step, so a test can act between the steps. */
export function storagePassSteps(
  ports: MemoryPorts,
  accountId: string,
  markId = ports.ids.next('mark'),
): StoragePassSteps {
  let asOf = '';
  return {
    accountId,
    markId,
    async publish() {
      await publishChunkSweep(ports, { accountId, markId });
    },
    async mark() {
      let page: MarkStoragePageOutput = await markStoragePage(ports, { accountId, markId });
      let pages = 1;
      while (page.position !== null) {
        page = await markStoragePage(ports, { ...page, position: page.position });
        pages += 1;
      }
      asOf = page.asOf;
      await finishStorageMark(ports, { accountId, markId, asOf });
      return { pages, asOf };
    },
    async sweep() {
      let step = await sweepChunkPages(ports, { accountId, markId, asOf });
      while (!step.done) step = await sweepChunkPages(ports, { accountId, markId, asOf });
      return step;
    },
    finish: () => finishChunkSweep(ports, { accountId, markId }),
  };
}

/** A whole storage pass of the account, as the storage-mark workflow runs it. */
export async function storagePass(ports: MemoryPorts, accountId: string, markId?: string) {
  const steps = storagePassSteps(ports, accountId, markId);
  await steps.publish();
  const { pages } = await steps.mark();
  await steps.sweep();
  const swept = await steps.finish();
  return { pages, swept, storage: await ports.storage.get(accountId) };
}
