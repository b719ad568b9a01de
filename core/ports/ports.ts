import type { AgentGateway } from './agent-gateway.ts';
import type { ChargesRepository } from './charges-repository.ts';
import type { Clock } from './clock.ts';
import type { CollectionStore } from './collection-store.ts';
import type { CommandContextRepository } from './command-context-repository.ts';
import type { HostDirectory } from './host-directory.ts';
import type { HostLoad } from './host-load.ts';
import type { IdGenerator } from './id-generator.ts';
import type { ImageStore } from './image-store.ts';
import type { ImageTransfer } from './image-transfer.ts';
import type { MarkTallyStore } from './mark-tally-store.ts';
import type { OperationRepository } from './operation-repository.ts';
import type { PolicyRepository } from './policy-repository.ts';
import type { PolicyRunRepository } from './policy-run-repository.ts';
import type { PolicyScheduler } from './policy-scheduler.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { RegionCatalog } from './region-catalog.ts';
import type { Regional } from './regional.ts';
import type { ScheduleCalendar } from './schedule-calendar.ts';
import type { SettingsRepository } from './settings-repository.ts';
import type { Signer } from './signer.ts';
import type { SliceRepository } from './slice-repository.ts';
import type { SnapshotRepository } from './snapshot-repository.ts';
import type { StorageRepository } from './storage-repository.ts';
import type { UsageRepository } from './usage-repository.ts';
import type { WorkflowStarter } from './workflow-starter.ts';
import type { WorkflowTasks } from './workflow-tasks.ts';

/** Every port the use cases draw on; each use case takes a `Pick<>` of what it needs. */
export interface Ports {
  readonly slices: SliceRepository;
  readonly snapshots: SnapshotRepository;
  /** Billing: usage records of the snapshots that became available. */
  readonly usage: UsageRepository;
  /** Billing: charges per account and month. */
  readonly charges: ChargesRepository;
  readonly operations: OperationRepository;
  /** Each account's settings (the recycle bin's days). */
  readonly settings: SettingsRepository;
  /** Snapshot policies: schedules and retention rules. */
  readonly policies: PolicyRepository;
  /** Runs of the snapshot policies, and which run holds each policy now. */
  readonly policyRuns: PolicyRunRepository;
  /** The policies' schedules, which start their runs. */
  readonly policySchedules: PolicyScheduler;
  /** Reads the policies' schedules as EventBridge Scheduler runs them. */
  readonly calendar: ScheduleCalendar;
  readonly workflows: WorkflowStarter;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly regions: RegionCatalog;
  readonly hosts: HostDirectory;
  readonly hostLoad: HostLoad;
  readonly agents: AgentGateway;
  readonly workflowTasks: WorkflowTasks;
  /** Snapshot images, each region's in its own store: manifests and chunks. */
  readonly images: Regional<ImageStore>;
  /** Copies images from one region's store to another's. */
  readonly imageTransfer: ImageTransfer;
  /** The tallies of mark passes in progress, kept between their pages. */
  readonly markTallies: MarkTallyStore;
  /** The chunk collection's condemned lists, sweep notices and sweep progress, per region. */
  readonly collection: Regional<CollectionStore>;
  /** Each account's storage as its latest mark pass found it. */
  readonly storage: StorageRepository;
  /** What each waiting agent command reports progress on. */
  readonly commandContexts: CommandContextRepository;
  /** Request token buckets, shared by every process that serves the API. */
  readonly rateLimiter: RateLimiter;
  /**
   * Signs the cursors of pages a use case cuts itself (the repositories sign their own lists' with
   * the same key), so that a cursor is honoured only in the scope it was issued for.
   */
  readonly cursorSigner: Signer;
}
