import { randomBytes } from 'node:crypto';
import { DEFAULT_REGIONS } from '../../blueprint/facts.ts';
import type { Ports } from '../../core/ports/ports.ts';
import type { Signer } from '../../core/ports/signer.ts';
import type { Region } from '../../core/regions/region.ts';
import { ConfiguredRegionCatalog } from '../node/configured-region-catalog.ts';
import { CronScheduleCalendar } from '../node/cron-schedule-calendar.ts';
import { HmacSigner } from '../node/hmac-signer.ts';
import { PerRegionStores } from '../node/per-region-stores.ts';
import { ManualClock } from './manual-clock.ts';
import { MemoryAgentGateway } from './memory-agent-gateway.ts';
import { MemoryChargesRepository } from './memory-charges-repository.ts';
import { MemoryCollectionStore } from './memory-collection-store.ts';
import { MemoryCommandContextRepository } from './memory-command-context-repository.ts';
import { MemoryHostDirectory, type RegisteredHost } from './memory-host-directory.ts';
import { MemoryHostLoad } from './memory-host-load.ts';
import { MemoryImageStore } from './memory-image-store.ts';
import { MemoryImageTransfer } from './memory-image-transfer.ts';
import { MemoryMarkTallyStore } from './memory-mark-tally-store.ts';
import { MemoryOperationRepository } from './memory-operation-repository.ts';
import { MemoryOutbox } from './memory-outbox.ts';
import { MemoryPolicyRepository } from './memory-policy-repository.ts';
import { MemoryPolicyRunRepository } from './memory-policy-run-repository.ts';
import { MemoryPolicyScheduler } from './memory-policy-scheduler.ts';
import { MemoryRateLimiter } from './memory-rate-limiter.ts';
import { MemorySettingsRepository } from './memory-settings-repository.ts';
import { MemorySliceRepository } from './memory-slice-repository.ts';
import { MemorySnapshotRepository } from './memory-snapshot-repository.ts';
import { MemoryStorageRepository } from './memory-storage-repository.ts';
import { MemoryUsageRepository } from './memory-usage-repository.ts';
import { MemoryWorkflowStarter } from './memory-workflow-starter.ts';
import { MemoryWorkflowTasks } from './memory-workflow-tasks.ts';
import { SequentialIdGenerator } from './sequential-id-generator.ts';

/** The regions memory ports serve unless told otherwise: a deployment's default ones. */
export const MEMORY_REGIONS: readonly Region[] = DEFAULT_REGIONS;

/**
 * A fresh, isolated set of memory ports; cursors are signed with a random key unless one is given.
 * The host registry holds `hosts` (none unless given).
 */
export function createMemoryPorts(
  options: {
    cursorSigner?: Signer;
    regions?: readonly Region[];
    hosts?: readonly RegisteredHost[];
    now?: Date | string;
  } = {},
) {
  const cursorSigner = options.cursorSigner ?? new HmacSigner(randomBytes(32));
  const clock = new ManualClock(options.now);
  // The repositories share one outbox: written events land in `events.published`.
  const events = new MemoryOutbox();
  const regions = options.regions ?? MEMORY_REGIONS;
  const regionIds = regions.map((region) => region.id);
  const images = new PerRegionStores(regionIds, () => new MemoryImageStore({ clock }));
  const ports = {
    slices: new MemorySliceRepository({ cursorSigner }),
    snapshots: new MemorySnapshotRepository({ cursorSigner, outbox: events }),
    usage: new MemoryUsageRepository(),
    charges: new MemoryChargesRepository({ outbox: events }),
    operations: new MemoryOperationRepository({ cursorSigner, outbox: events }),
    settings: new MemorySettingsRepository(),
    policies: new MemoryPolicyRepository({ cursorSigner }),
    policyRuns: new MemoryPolicyRunRepository({ cursorSigner, outbox: events }),
    policySchedules: new MemoryPolicyScheduler(),
    calendar: new CronScheduleCalendar(),
    workflows: new MemoryWorkflowStarter(),
    events,
    clock,
    ids: new SequentialIdGenerator(),
    regions: new ConfiguredRegionCatalog(regions),
    hosts: new MemoryHostDirectory(options.hosts ?? []),
    hostLoad: new MemoryHostLoad(),
    agents: new MemoryAgentGateway(),
    workflowTasks: new MemoryWorkflowTasks(),
    images,
    imageTransfer: new MemoryImageTransfer(images),
    markTallies: new MemoryMarkTallyStore({ clock }),
    collection: new PerRegionStores(regionIds, () => new MemoryCollectionStore()),
    storage: new MemoryStorageRepository(),
    commandContexts: new MemoryCommandContextRepository({ clock }),
    rateLimiter: new MemoryRateLimiter({ clock }),
    cursorSigner,
  };
  // Every port is there (a missing one does not type-check), and `events` besides.
  return ports satisfies Ports;
}

/**
 * Every port in memory, with the concrete types exposed so tests can read and steer them, and the
 * repositories' outbox (`events`): the events their writes carried, in order.
 */
export type MemoryPorts = Readonly<ReturnType<typeof createMemoryPorts>>;
