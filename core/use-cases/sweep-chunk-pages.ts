import { chunksPrefixOf, WORKFLOW_TIMEOUT_SECONDS } from '../../blueprint/facts.ts';
import type { CollectionStore } from '../ports/collection-store.ts';
import type { ImageStore } from '../ports/image-store.ts';
import type { Ports } from '../ports/ports.ts';
import { toIsoTime } from '../shared/time.ts';
import {
  type ChunkVerdict,
  judgeChunk,
  SWEEP_PAGES_PER_STEP,
  type SweepProgress,
} from '../storage/chunk-collection.ts';
import { ChunkTally, regionalChunk } from '../storage/chunk-tally.ts';
import { MarkTallyMissingError } from '../storage/storage-errors.ts';

type Deps = Pick<Ports, 'images' | 'collection' | 'markTallies' | 'storage' | 'regions' | 'clock'>;

export interface SweepStepInput {
  readonly accountId: string;
  readonly markId: string;
  /** When the mark began: the time chunks found unmarked now are condemned from. */
  readonly asOf: string;
}

export interface SweepStepOutput extends SweepStepInput {
  /** True once every chunk of the account, in every region, is judged. */
  readonly done: boolean;
  readonly deletedChunks: number;
  readonly condemnedChunks: number;
}

/**
 * The chunks of manifests in the region's store that the mark did not read: a snapshot not live
 * (its cleanup still to come) or one whose manifest was written after its page was read. While
 * such a manifest exists its chunks are never deleted.
 */
async function chunksOfUnmarkedManifests(images: ImageStore, accountId: string, tally: ChunkTally) {
  const keys = new Set<string>();
  for (const snapshotId of await images.snapshotsWithImages(accountId)) {
    if (tally.marked(snapshotId)) continue;
    // A manifest that does not verify throws: what it names is unknown, so nothing is deleted.
    const image = await images.readImage(accountId, snapshotId);
    for (const key of image?.chunkKeys ?? []) keys.add(key);
  }
  return [...keys];
}

const UNSTARTED: SweepProgress = {
  condemned: [],
  deleted: 0,
  deletedBytes: 0,
  alsoMarked: [],
  through: null,
  done: false,
};

/** One region's sweep in this step: its stores, and how many pages the step has left. */
interface RegionSweep {
  readonly regionId: string;
  readonly images: ImageStore;
  readonly collection: CollectionStore;
  readonly pages: number;
}

/**
 * storage-mark's `SweepChunks`, once the mark is whole: judges up to SWEEP_PAGES_PER_STEP pages of
 * the account's chunk listings, region after region (see judgeChunk), deletes what each region's
 * notice allows while its deadline lasts, and keeps the condemned list it builds in each region's
 * progress, which also says where the listing stands, so a retried step picks up where the last
 * saved one ended. A pass that is not the account's sweeper judges nothing.
 */
export async function sweepChunkPages(deps: Deps, input: SweepStepInput): Promise<SweepStepOutput> {
  const { accountId, markId } = input;
  const now = deps.clock.now();
  const until = new Date(Date.parse(input.asOf) + WORKFLOW_TIMEOUT_SECONDS['storage-mark'] * 1000);
  const idle = { ...input, done: true, deletedChunks: 0, condemnedChunks: 0 };
  const claim = { accountId, markId, now: toIsoTime(now), until: toIsoTime(until) };
  if (!(await deps.storage.claimSweep(claim))) {
    return idle;
  }
  const state = await deps.markTallies.load(accountId, markId);
  if (state === null) throw new MarkTallyMissingError(accountId, markId);
  const tally = new ChunkTally(state);
  let pages = SWEEP_PAGES_PER_STEP;
  let done = true;
  let deletedChunks = 0;
  let condemnedChunks = 0;
  for (const region of await deps.regions.list()) {
    const sweep: RegionSweep = {
      regionId: region.id,
      images: deps.images.in(region.id),
      collection: deps.collection.in(region.id),
      pages,
    };
    const { progress, pagesRead } = await sweepRegion(deps, input, tally, sweep);
    pages -= pagesRead;
    done &&= progress.done;
    deletedChunks += progress.deleted;
    condemnedChunks += progress.condemned.length;
  }
  return { ...input, done, deletedChunks, condemnedChunks };
}

/** Sweeps as many of the region's pages as the step has left; answers where the region stands. */
async function sweepRegion(
  deps: Pick<Ports, 'clock'>,
  input: SweepStepInput,
  tally: ChunkTally,
  sweep: RegionSweep,
): Promise<{ progress: SweepProgress; pagesRead: number }> {
  const { accountId, markId } = input;
  const { images, collection } = sweep;
  const stored = await collection.loadProgress(accountId, markId);
  if (stored?.done || sweep.pages === 0) return { progress: stored ?? UNSTARTED, pagesRead: 0 };
  const progress: SweepProgress = stored ?? {
    ...UNSTARTED,
    alsoMarked: await chunksOfUnmarkedManifests(images, accountId, tally),
  };
  const notice = await collection.readNotice(accountId, markId);
  const eligible = new Set(notice?.eligible ?? []);
  const deadline = notice === null ? 0 : Date.parse(notice.deleteUntil);
  const previously = await collection.readCondemned(accountId);
  const alsoMarked = new Set(progress.alsoMarked);
  const condemned = new Map(progress.condemned);
  let { deleted, deletedBytes } = progress;
  let cursor = progress.through;
  let done = false;
  let pagesRead = 0;
  const prefix = chunksPrefixOf(accountId);
  while (pagesRead < sweep.pages && !done) {
    const page = await images.listChunkPage(accountId, cursor);
    pagesRead++;
    const mayDelete = () => deps.clock.now().getTime() < deadline;
    const doomed: { key: string; size: number; since: string }[] = [];
    for (const chunk of page.chunks) {
      const hash = chunk.key.slice(prefix.length);
      const marked =
        tally.names(regionalChunk(sweep.regionId, chunk.key)) || alsoMarked.has(chunk.key);
      const verdict: ChunkVerdict = judgeChunk(
        { hash, lastModified: chunk.lastModified, marked },
        previously,
        eligible,
        input.asOf,
        mayDelete(),
      );
      if (verdict.action === 'condemn') condemned.set(hash, verdict.since);
      if (verdict.action === 'delete') {
        doomed.push({
          key: chunk.key,
          size: chunk.size,
          since: previously.get(hash) ?? input.asOf,
        });
      }
    }
    // The deadline is looked at again right before deleting: past it, the doomed stay condemned.
    if (doomed.length > 0 && mayDelete()) {
      await images.deleteObjects(doomed.map((each) => each.key));
      deleted += doomed.length;
      deletedBytes += doomed.reduce((sum, each) => sum + each.size, 0);
    } else {
      for (const each of doomed) condemned.set(each.key.slice(prefix.length), each.since);
    }
    cursor = page.next;
    done = cursor === null;
  }
  const saved: SweepProgress = {
    condemned: [...condemned],
    deleted,
    deletedBytes,
    alsoMarked: progress.alsoMarked,
    through: cursor,
    done,
  };
  await collection.saveProgress(accountId, markId, saved);
  return { progress: saved, pagesRead };
}
