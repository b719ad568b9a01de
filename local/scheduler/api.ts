import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { ServiceError, validationError } from '../aws-json-error.ts';
import { type Listening, listen } from '../net.ts';
import type { Scheduler } from './scheduler.ts';

/** A schedule as EventBridge Scheduler's API takes and answers it (the fields the project uses). */
interface StoredSchedule {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  State: 'ENABLED' | 'DISABLED';
  Description?: string;
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  Target: { Arn: string; RoleArn: string; Input?: string; RetryPolicy?: unknown };
  CreationDate: number;
  LastModificationDate: number;
}

export interface SchedulerApiOptions {
  port: number;
  /** Where the schedules are kept across restarts. */
  file: string;
  region: string;
  accountId: string;
  /** The scheduler that runs them, on the local clock. */
  scheduler: Scheduler;
  now: () => Date;
  /** Starts an execution of a state machine, as a schedule's target does. */
  startExecution(stateMachineArn: string, input: string): Promise<unknown>;
}

/** The name the running scheduler knows a schedule of a group by. */
function runningName(group: string, name: string): string {
  return `${group}/${name}`;
}

async function bodyOf(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.length === 0) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw validationError('the request body is not JSON');
  }
}

/**
 * A thin EventBridge Scheduler endpoint (CreateSchedule, UpdateSchedule, GetSchedule and
 * DeleteSchedule, over its REST JSON protocol), so that the handlers manage the policies'
 * schedules through the unmodified SDK client. Its schedules run on the local scheduler, on the
 * local clock, and start their state machine's execution with the schedule's input; a disabled
 * one is kept and does not run. Only state machines are targets, and only UTC times.
 */
export async function startSchedulerApi(options: SchedulerApiOptions): Promise<Listening> {
  const schedules = new Map<string, StoredSchedule>(
    existsSync(options.file)
      ? (JSON.parse(readFileSync(options.file, 'utf8')) as StoredSchedule[]).map((schedule) => [
          runningName(schedule.GroupName, schedule.Name),
          schedule,
        ])
      : [],
  );
  const save = () => {
    mkdirSync(dirname(options.file), { recursive: true });
    writeFileSync(`${options.file}.tmp`, JSON.stringify([...schedules.values()], null, 2));
    renameSync(`${options.file}.tmp`, options.file);
  };
  const run = (schedule: StoredSchedule) => {
    const name = runningName(schedule.GroupName, schedule.Name);
    if (schedule.State !== 'ENABLED') {
      options.scheduler.remove(name);
      return;
    }
    options.scheduler.put({
      name,
      expression: schedule.ScheduleExpression,
      invoke: async () => {
        await options.startExecution(schedule.Target.Arn, schedule.Target.Input ?? '{}');
      },
    });
  };
  for (const schedule of schedules.values()) run(schedule);

  const scheduleFrom = (
    name: string,
    body: Record<string, unknown>,
    created: number,
  ): StoredSchedule => {
    const group = typeof body.GroupName === 'string' ? body.GroupName : 'default';
    const target = body.Target as StoredSchedule['Target'] | undefined;
    if (typeof body.ScheduleExpression !== 'string') {
      throw validationError('ScheduleExpression is required');
    }
    if (!target || typeof target.Arn !== 'string' || typeof target.RoleArn !== 'string') {
      throw validationError('Target with Arn and RoleArn is required');
    }
    if (!target.Arn.includes(':states:') || !target.Arn.includes(':stateMachine:')) {
      throw validationError(`the local scheduler starts state machines only, not ${target.Arn}`);
    }
    const timezone = body.ScheduleExpressionTimezone;
    if (timezone !== undefined && timezone !== 'UTC' && timezone !== 'Etc/UTC') {
      throw validationError(`the local scheduler runs schedules in UTC only, not ${timezone}`);
    }
    const now = options.now().getTime() / 1000;
    return {
      Name: name,
      GroupName: group,
      Arn: `arn:aws:scheduler:${options.region}:${options.accountId}:schedule/${group}/${name}`,
      ScheduleExpression: body.ScheduleExpression,
      ...(typeof timezone === 'string' ? { ScheduleExpressionTimezone: timezone } : {}),
      State: body.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      ...(typeof body.Description === 'string' ? { Description: body.Description } : {}),
      FlexibleTimeWindow: (body.FlexibleTimeWindow as StoredSchedule['FlexibleTimeWindow']) ?? {
        Mode: 'OFF',
      },
      Target: target,
      CreationDate: created || now,
      LastModificationDate: now,
    };
  };

  const handle = async (
    method: string,
    name: string,
    group: string | null,
    body: Record<string, unknown>,
  ): Promise<unknown> => {
    const key = runningName(group ?? (body.GroupName as string | undefined) ?? 'default', name);
    const existing = schedules.get(key);
    const notFound = () =>
      new ServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    switch (method) {
      case 'POST': {
        if (existing) {
          throw new ServiceError('ConflictException', `Schedule ${name} already exists.`, 409);
        }
        const schedule = scheduleFrom(name, body, 0);
        schedules.set(key, schedule);
        save();
        run(schedule);
        return { ScheduleArn: schedule.Arn };
      }
      case 'PUT': {
        if (!existing) throw notFound();
        const schedule = scheduleFrom(name, body, existing.CreationDate);
        schedules.set(key, schedule);
        save();
        run(schedule);
        return { ScheduleArn: schedule.Arn };
      }
      case 'GET':
        if (!existing) throw notFound();
        return existing;
      case 'DELETE':
        if (!existing) throw notFound();
        schedules.delete(key);
        save();
        options.scheduler.remove(key);
        return {};
      default:
        throw new ServiceError('ValidationException', `${method} is not supported`, 405);
    }
  };

  const server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown, errorType?: string) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      response.end(JSON.stringify(body));
    };
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
      if (!match?.[1]) throw new ServiceError('ValidationException', 'no such action', 404);
      const result = await handle(
        request.method ?? 'GET',
        decodeURIComponent(match[1]),
        url.searchParams.get('groupName'),
        await bodyOf(request),
      );
      reply(200, result);
    } catch (error) {
      if (error instanceof ServiceError) {
        reply(error.status, { Message: error.message }, error.type);
        return;
      }
      reply(500, { Message: String(error) }, 'InternalServerException');
    }
  });
  return listen(server, options.port);
}
