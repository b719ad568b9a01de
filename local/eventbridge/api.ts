import { randomUUID } from 'node:crypto';
import { ServiceError, validationError } from '../aws-json-error.ts';
import { targetKind } from './delivery.ts';
import type { EventEnvelope } from './event-log.ts';
import { type CompiledPattern, InvalidEventPatternError, parseEventPattern } from './pattern.ts';
import type { RuleState, RuleStore, StoredRule, StoredTarget } from './rule-store.ts';
import { validateTargetInput } from './target-input.ts';

export interface ApiContext {
  region: string;
  accountId: string;
  /** Every bus name, `default` included. */
  buses: readonly string[];
  store: RuleStore;
  /** Hands an accepted event to rule matching and delivery (which run after the answer). */
  route(bus: string, event: EventEnvelope): void;
}

type Input = Record<string, unknown>;
type Action = (input: Input) => Promise<unknown>;

const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const MAX_ENTRIES = 10;
const MAX_TARGETS_PER_RULE = 5;
const MAX_PUT_EVENTS_BYTES = 256 * 1024;

/**
 * The EventBridge actions the local endpoint serves, keyed by the name after `AWSEvents.` in
 * `X-Amz-Target`. Inputs and outputs use the AWS field names; errors are {@link ServiceError}s with
 * the exception names and messages AWS uses.
 */
export function createActions(ctx: ApiContext): Record<string, Action> {
  const busArn = (bus: string): string =>
    `arn:aws:events:${ctx.region}:${ctx.accountId}:event-bus/${bus}`;
  const ruleArn = (bus: string, name: string): string =>
    `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;

  const resolveBus = (value: unknown): string => {
    if (value === undefined || value === null || value === '') return 'default';
    if (typeof value !== 'string') throw validationError('EventBusName must be a string.');
    const name = value.startsWith('arn:') ? (value.split(':event-bus/')[1] ?? value) : value;
    if (!ctx.buses.includes(name)) {
      throw new ServiceError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    }
    return name;
  };

  const existingRule = (input: Input, field: 'Name' | 'Rule'): StoredRule => {
    const bus = resolveBus(input.EventBusName);
    const name = requireName(input[field], field);
    const rule = ctx.store.get(bus, name);
    if (!rule) {
      throw new ServiceError(
        'ResourceNotFoundException',
        `Rule ${name} does not exist on EventBus ${bus}.`,
      );
    }
    return rule;
  };

  const describe = (rule: StoredRule) => ({
    Name: rule.Name,
    Arn: ruleArn(rule.EventBusName, rule.Name),
    EventPattern: rule.EventPattern,
    State: rule.State,
    ...(rule.Description !== undefined ? { Description: rule.Description } : {}),
    EventBusName: rule.EventBusName,
  });

  const setState = async (input: Input, state: RuleState): Promise<unknown> => {
    const rule = existingRule(input, 'Name');
    ctx.store.put({ ...rule, State: state });
    await ctx.store.save();
    return {};
  };

  return {
    async PutEvents(input) {
      const entries = input.Entries;
      if (!Array.isArray(entries) || entries.length === 0) {
        throw validationError(
          "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
        );
      }
      if (entries.length > MAX_ENTRIES) {
        throw validationError(
          `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
        );
      }
      if (Buffer.byteLength(JSON.stringify(entries)) > MAX_PUT_EVENTS_BYTES) {
        throw validationError('Total size of the entries in the request is over the limit.');
      }
      const results = entries.map((entry: unknown) => {
        const checked = checkEntry(entry, ctx.buses);
        if ('ErrorCode' in checked) return checked;
        const event: EventEnvelope = {
          version: '0',
          id: randomUUID(),
          'detail-type': checked.detailType,
          source: checked.source,
          account: ctx.accountId,
          time: formatTime(checked.time ?? new Date()),
          region: ctx.region,
          resources: checked.resources,
          detail: checked.detail,
        };
        ctx.route(checked.bus, event);
        return { EventId: event.id };
      });
      return {
        FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
        Entries: results,
      };
    },

    async PutRule(input) {
      const bus = resolveBus(input.EventBusName);
      const name = requireName(input.Name, 'Name');
      if (input.ScheduleExpression !== undefined) {
        throw validationError(
          'ScheduleExpression is not run by the local EventBridge endpoint: schedules belong to the local scheduler (infra/catalog.ts SCHEDULES).',
        );
      }
      if (typeof input.EventPattern !== 'string' || input.EventPattern === '') {
        throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      }
      checkPattern(input.EventPattern);
      const state = input.State ?? 'ENABLED';
      if (state !== 'ENABLED' && state !== 'DISABLED') {
        throw validationError(`State must be ENABLED or DISABLED, not ${String(state)}.`);
      }
      if (input.Description !== undefined && typeof input.Description !== 'string') {
        throw validationError('Description must be a string.');
      }
      const existing = ctx.store.get(bus, name);
      ctx.store.put({
        Name: name,
        EventBusName: bus,
        EventPattern: input.EventPattern,
        State: state,
        ...(input.Description !== undefined ? { Description: input.Description } : {}),
        Targets: existing?.Targets ?? [],
      });
      await ctx.store.save();
      return { RuleArn: ruleArn(bus, name) };
    },

    async DescribeRule(input) {
      return { ...describe(existingRule(input, 'Name')), CreatedBy: ctx.accountId };
    },

    async ListRules(input) {
      const bus = resolveBus(input.EventBusName);
      const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
      const rules = ctx.store.list(bus).filter((rule) => rule.Name.startsWith(prefix));
      return paginate(rules.map(describe), input, 'Rules');
    },

    async DeleteRule(input) {
      const bus = resolveBus(input.EventBusName);
      const name = requireName(input.Name, 'Name');
      const rule = ctx.store.get(bus, name);
      // Deleting a rule that does not exist succeeds, as in AWS.
      if (!rule) return {};
      if (rule.Targets.length > 0) {
        throw validationError("Rule can't be deleted since it has targets.");
      }
      ctx.store.delete(bus, name);
      await ctx.store.save();
      return {};
    },

    EnableRule: (input) => setState(input, 'ENABLED'),
    DisableRule: (input) => setState(input, 'DISABLED'),

    async PutTargets(input) {
      const rule = existingRule(input, 'Rule');
      const targets = input.Targets;
      if (!Array.isArray(targets) || targets.length === 0 || targets.length > 10) {
        throw validationError(
          "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10",
        );
      }
      const incoming = targets.map((target: unknown) => toStoredTarget(target));
      const byId = new Map(rule.Targets.map((target) => [target.Id, target]));
      for (const target of incoming) byId.set(target.Id, target);
      if (byId.size > MAX_TARGETS_PER_RULE) {
        throw new ServiceError(
          'LimitExceededException',
          'The requested resource exceeds the maximum number allowed.',
        );
      }
      ctx.store.put({ ...rule, Targets: [...byId.values()] });
      await ctx.store.save();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    async ListTargetsByRule(input) {
      return paginate(existingRule(input, 'Rule').Targets, input, 'Targets');
    },

    async RemoveTargets(input) {
      const rule = existingRule(input, 'Rule');
      const ids = input.Ids;
      if (!Array.isArray(ids) || ids.length === 0) {
        throw validationError(
          "1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length greater than or equal to 1",
        );
      }
      ctx.store.put({
        ...rule,
        Targets: rule.Targets.filter((target) => !ids.includes(target.Id)),
      });
      await ctx.store.save();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    async DescribeEventBus(input) {
      const bus = resolveBus(input.Name);
      return { Name: bus, Arn: busArn(bus) };
    },

    async ListEventBuses(input) {
      const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
      return {
        EventBuses: ctx.buses
          .filter((bus) => bus.startsWith(prefix))
          .map((bus) => ({ Name: bus, Arn: busArn(bus) })),
      };
    },

    async TestEventPattern(input) {
      if (typeof input.EventPattern !== 'string')
        throw validationError('EventPattern is required.');
      if (typeof input.Event !== 'string') throw validationError('Event is required.');
      const pattern = checkPattern(input.EventPattern);
      let event: unknown;
      try {
        event = JSON.parse(input.Event);
      } catch {
        throw validationError('Event is not valid JSON.');
      }
      return { Result: pattern.matches(event) };
    },
  };
}

/** A start-up or PutTargets target, validated; anything the local endpoint cannot honour is refused. */
export function toStoredTarget(raw: unknown): StoredTarget {
  if (typeof raw !== 'object' || raw === null) throw validationError('A target must be an object.');
  const target = raw as Input;
  const id = target.Id;
  if (typeof id !== 'string' || !NAME.test(id)) {
    throw validationError(
      `Target Id ${String(id)} must be 1 to 64 characters of letters, digits, '.', '-' and '_'.`,
    );
  }
  if (typeof target.Arn !== 'string' || !targetKind(target.Arn)) {
    throw validationError(
      `Target ${id}: Arn ${String(target.Arn)} is not a target the local endpoint delivers to: use a Lambda function ARN, a state machine ARN, or an http(s) URL.`,
    );
  }
  if (target.InputTransformer !== undefined) {
    throw validationError(
      `Target ${id}: InputTransformer is not supported by the local endpoint; use Input or InputPath.`,
    );
  }
  for (const field of ['Input', 'InputPath'] as const) {
    if (target[field] !== undefined && typeof target[field] !== 'string') {
      throw validationError(`Target ${id}: ${field} must be a string.`);
    }
  }
  const stored: StoredTarget = {
    Id: id,
    Arn: target.Arn,
    ...(typeof target.Input === 'string' ? { Input: target.Input } : {}),
    ...(typeof target.InputPath === 'string' ? { InputPath: target.InputPath } : {}),
  };
  const problem = validateTargetInput(stored);
  if (problem) throw validationError(`Target ${id}: ${problem}`);
  return stored;
}

/** Compiles a pattern, answering InvalidEventPatternException as AWS does when it is invalid. */
export function checkPattern(text: string): CompiledPattern {
  try {
    return parseEventPattern(text);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) {
      throw new ServiceError(
        'InvalidEventPatternException',
        `Event pattern is not valid. Reason: ${error.message}`,
      );
    }
    throw error;
  }
}

export function requireName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw validationError(
      `1 validation error detected: Value '${String(value)}' at '${field.toLowerCase()}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`,
    );
  }
  return value;
}

interface CheckedEntry {
  bus: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources: string[];
  time?: Date;
}

type EntryError = { ErrorCode: string; ErrorMessage: string };

/** Validates one PutEvents entry the way AWS does: a failed entry fails alone, not the request. */
function checkEntry(raw: unknown, buses: readonly string[]): CheckedEntry | EntryError {
  const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Input;
  const required = (field: 'Source' | 'DetailType' | 'Detail'): EntryError | undefined =>
    typeof entry[field] === 'string' && entry[field] !== ''
      ? undefined
      : {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
        };
  const missing = required('Source') ?? required('DetailType') ?? required('Detail');
  if (missing) return missing;
  const source = entry.Source as string;
  if (source.startsWith('aws.')) {
    return {
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: 'Not authorized for the source.',
    };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  const busValue = entry.EventBusName;
  const bus =
    typeof busValue === 'string' && busValue !== ''
      ? busValue.startsWith('arn:')
        ? (busValue.split(':event-bus/')[1] ?? busValue)
        : busValue
      : 'default';
  if (!buses.includes(bus)) {
    return {
      ErrorCode: 'ResourceNotFoundException',
      ErrorMessage: `Event bus ${bus} does not exist.`,
    };
  }
  const resources = entry.Resources;
  if (
    resources !== undefined &&
    !(Array.isArray(resources) && resources.every((item) => typeof item === 'string'))
  ) {
    return {
      ErrorCode: 'InvalidArgument',
      ErrorMessage:
        'Parameter Resources is not valid. Reason: Resources must be a list of strings.',
    };
  }
  const time = parseTime(entry.Time);
  return {
    bus,
    source,
    detailType: entry.DetailType as string,
    detail: detail as Record<string, unknown>,
    resources: (resources as string[] | undefined) ?? [],
    ...(time ? { time } : {}),
  };
}

/** The SDK sends `Time` as epoch seconds; an ISO string is accepted too. */
function parseTime(value: unknown): Date | undefined {
  const date =
    typeof value === 'number'
      ? new Date(value * 1000)
      : typeof value === 'string'
        ? new Date(value)
        : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** ISO 8601 to the second, as EventBridge writes `time`: `2026-01-31T12:00:00Z`. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function paginate<T>(items: T[], input: Input, field: string): Record<string, unknown> {
  const limit = typeof input.Limit === 'number' && input.Limit > 0 ? input.Limit : 100;
  const start = typeof input.NextToken === 'string' ? Number.parseInt(input.NextToken, 10) || 0 : 0;
  const page = items.slice(start, start + limit);
  const next = start + limit < items.length ? String(start + limit) : undefined;
  return { [field]: page, ...(next !== undefined ? { NextToken: next } : {}) };
}
