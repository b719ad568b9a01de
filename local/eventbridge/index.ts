export type {
  DeliveryOutcome,
  EventEnvelope,
  EventLogEntry,
  ReadEventLogOptions,
} from './event-log.ts';
export { eventLogPath, readEventLog, tailEventLog } from './event-log.ts';
export type { CompiledPattern } from './pattern.ts';
export { compilePattern, InvalidEventPatternError, matchesPattern } from './pattern.ts';
export type {
  EventBridgeEndpoint,
  EventBridgeOptions,
  ServiceEventInput,
  StartupRule,
} from './server.ts';
export { startEventBridge } from './server.ts';
