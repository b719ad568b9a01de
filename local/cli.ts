import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { diskPathOf } from '../agent/disk/file-driver.ts';
import { LOCAL_TABLE_NAME } from '../blueprint/facts.ts';
import { agentDataDir } from './agents.ts';
import { LOCAL_REGION, readEndpoints } from './cloud.ts';
import { localDynamoClient } from './dynamodb.ts';
import { readEventLog, tailEventLog } from './eventbridge/index.ts';
import { openLocalIdentity } from './gateway/identity.ts';

const USAGE = `npm run local -- <command>

  token --account <id> [--ttl <seconds>]   mint a bearer token for an account
  executions [--workflow <name>] [--status RUNNING|SUCCEEDED|FAILED|TIMED_OUT|ABORTED]
                                           list workflow executions, newest first
  execution <arn>                          one execution: status, input, output and its history
  stop-execution <arn> [--cause <text>]    stop a running execution, as an operator would in AWS;
                                           its operation is then finished by the reconciler
  events [--follow] [--limit <n>]          the event log (every event put on the local buses)
  billing-run [--month YYYY-MM]            start the billing-run workflow now, as the daily schedule
                                           does, and wait for its summary (by default: on the 1st
                                           the month just ended, else month to date)
  disk-path <sliceId>                      the file holding a slice's disk, on its host's agent
  console <sliceId> [--follow] [--send L]  a QEMU slice's serial console log (--follow streams it;
                                           --send types line L into the guest's console)
  clock                                    the local cloud's time, and how far it is ahead
  clock advance <duration>|--to <time>     move it forward (90s, 5m, 2h, 1d, 1h30m; or to an ISO
                                           time): what fell due meanwhile happens at once (schedules,
                                           heartbeat and workflow timeouts, expiries)

State is read from SLICE_SNAPSHOTS_DATA_DIR (default .data); commands other than token need
a running local cloud (npm start).`;

const dataDir = resolve(process.env.SLICE_SNAPSHOTS_DATA_DIR ?? '.data');

/** Runs `use` with a client of the local Step Functions, destroyed when `use` ends either way. */
async function withStepFunctions<T>(use: (client: SFNClient) => Promise<T>): Promise<T> {
  const client = new SFNClient({
    endpoint: readEndpoints(dataDir).stepfunctions,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

function describeEvent(event: HistoryEvent): string {
  const details = Object.entries(event).find(
    ([key, value]) => key.endsWith('EventDetails') && value && typeof value === 'object',
  )?.[1] as { name?: string; error?: string; cause?: string } | undefined;
  const what = [details?.name, details?.error, details?.cause].filter(Boolean).join(' ');
  return `${event.timestamp?.toISOString()}  ${String(event.id).padStart(3)}  ${event.type}  ${what}`;
}

async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { account: { type: 'string' }, ttl: { type: 'string' } },
  });
  if (!values.account) throw new Error('token needs --account <id>');
  const identity = await openLocalIdentity(join(dataDir, 'auth', 'signing-key.json'));
  const ttlSeconds = values.ttl ? Number(values.ttl) : undefined;
  process.stdout.write(`${await identity.mintToken({ account: values.account, ttlSeconds })}\n`);
}

async function executions(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { workflow: { type: 'string' }, status: { type: 'string' } },
  });
  await withStepFunctions(async (client) => {
    const { stateMachines = [] } = await client.send(new ListStateMachinesCommand({}));
    for (const machine of stateMachines) {
      if (values.workflow && machine.name !== values.workflow) continue;
      const { executions: items = [] } = await client.send(
        new ListExecutionsCommand({
          stateMachineArn: machine.stateMachineArn,
          ...(values.status ? { statusFilter: values.status as 'RUNNING' } : {}),
        }),
      );
      for (const item of items) {
        process.stdout.write(
          `${item.startDate?.toISOString()}  ${item.status?.padEnd(9)}  ${machine.name}  ${item.executionArn}\n`,
        );
      }
    }
  });
}

async function execution(args: string[]): Promise<void> {
  const arn = args[0];
  if (!arn) throw new Error('execution needs an execution ARN (see: npm run local -- executions)');
  await withStepFunctions(async (client) => {
    const described = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    process.stdout.write(
      [
        `${described.name}  ${described.status}`,
        `started ${described.startDate?.toISOString()}  stopped ${described.stopDate?.toISOString() ?? '-'}`,
        `input   ${described.input}`,
        `output  ${described.output ?? '-'}`,
        ...(described.error ? [`error   ${described.error}: ${described.cause ?? ''}`] : []),
        '',
      ].join('\n'),
    );
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new GetExecutionHistoryCommand({ executionArn: arn, nextToken }),
      );
      for (const event of page.events ?? []) process.stdout.write(`${describeEvent(event)}\n`);
      nextToken = page.nextToken;
    } while (nextToken);
  });
}

async function events(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { follow: { type: 'boolean' }, limit: { type: 'string' } },
  });
  const eventsDir = join(dataDir, 'eventbridge');
  for (const entry of readEventLog(eventsDir, {
    limit: values.limit ? Number(values.limit) : 50,
  })) {
    process.stdout.write(`${JSON.stringify(entry)}\n`);
  }
  if (values.follow) {
    tailEventLog(eventsDir, (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`));
    await new Promise(() => undefined);
  }
}

/** The host a slice was placed on, read from the table (any account: this is the operator's view). */
async function hostOfSlice(sliceId: string): Promise<string | null> {
  const client = localDynamoClient(readEndpoints(dataDir).dynamodb);
  try {
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: LOCAL_TABLE_NAME,
          FilterExpression: 'sk = :sk AND begins_with(pk, :account)',
          ExpressionAttributeValues: {
            ':sk': { S: `SLICE#${sliceId}` },
            ':account': { S: 'ACCOUNT#' },
          },
          ExclusiveStartKey: startKey,
        }),
      );
      const item = page.Items?.[0];
      if (item) {
        if (!item.hostId?.S) throw new Error(`slice ${sliceId} is not placed on a host (yet)`);
        return item.hostId.S;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return null;
  } finally {
    client.destroy();
  }
}

async function diskPath(args: string[]): Promise<void> {
  const sliceId = args[0];
  if (!sliceId) throw new Error('disk-path needs a slice id (slc_…)');
  const hostId = await hostOfSlice(sliceId);
  if (hostId === null) throw new Error(`no slice ${sliceId} in the local cloud`);
  process.stdout.write(`${diskPathOf(agentDataDir(join(dataDir, 'agents'), hostId), sliceId)}\n`);
}

async function sliceConsole(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { follow: { type: 'boolean' }, send: { type: 'string' } },
  });
  const sliceId = positionals[0];
  if (!sliceId) throw new Error('console needs a slice id (slc_…)');
  const hostId = await hostOfSlice(sliceId);
  if (hostId === null) throw new Error(`no slice ${sliceId} in the local cloud`);
  const sliceDir = dirname(diskPathOf(agentDataDir(join(dataDir, 'agents'), hostId), sliceId));
  if (values.send !== undefined) {
    await sendConsoleLine(join(sliceDir, 'console.sock'), values.send);
    return;
  }
  const log = join(sliceDir, 'console.log');
  let offset = 0;
  const print = async () => {
    const text = await readFile(log).catch(() => Buffer.alloc(0));
    if (text.length > offset) process.stdout.write(text.subarray(offset));
    offset = Math.max(offset, text.length);
  };
  await print();
  if (offset === 0 && !values.follow) {
    throw new Error(`slice ${sliceId} has no console log: is the local cloud running QEMU VMs?`);
  }
  if (!values.follow) return;
  for (;;) {
    await sleep(200);
    await print();
  }
}

/** Types one line into a running VM's serial console (the chardev socket beside its disk). */
function sendConsoleLine(socketPath: string, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path: socketPath });
    socket.once('error', (error) =>
      reject(new Error(`the slice's VM is not running (${(error as Error).message})`)),
    );
    socket.once('connect', () => socket.end(`${line}\n`, () => resolve()));
  });
}

/** A Lambda error's cause is the runtime's JSON (type, message, stack): its message says enough. */
function messageOf(cause: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(cause ?? '');
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      return String(parsed.errorMessage);
    }
  } catch {
    // Not JSON: a cause written by the state machine itself.
  }
  return cause ?? '';
}

/** How often the CLI looks whether a billing run it started has finished. */
const BILLING_POLL_MS = 250;

/**
 * Starts the billing-run state machine, as the daily schedule does (with `--month`, as an operator
 * starts it by hand), and waits for it: the summary on success, else the error and exit code 1.
 */
async function billingRun(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { month: { type: 'string' } } });
  await withStepFunctions(async (client) => {
    const { stateMachines = [] } = await client.send(new ListStateMachinesCommand({}));
    const machine = stateMachines.find((candidate) => candidate.name === 'billing-run');
    if (machine === undefined) throw new Error('the local cloud runs no billing-run workflow');
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: machine.stateMachineArn,
        input: JSON.stringify(values.month ? { month: values.month } : {}),
      }),
    );
    process.stderr.write(`started ${executionArn}\n`);
    let described = await client.send(new DescribeExecutionCommand({ executionArn }));
    while (described.status === 'RUNNING') {
      await sleep(BILLING_POLL_MS);
      described = await client.send(new DescribeExecutionCommand({ executionArn }));
    }
    if (described.status !== 'SUCCEEDED') {
      throw new Error(
        `billing run ${described.status}: ${described.error ?? ''}: ${messageOf(described.cause)}\n` +
          `(npm run local -- execution ${executionArn} shows each step)`,
      );
    }
    process.stdout.write(`${JSON.stringify(JSON.parse(described.output ?? 'null'), null, 2)}\n`);
  });
}

async function stopExecution(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { cause: { type: 'string' } },
    allowPositionals: true,
  });
  const arn = positionals[0];
  if (!arn)
    throw new Error('stop-execution needs an execution ARN (see: npm run local -- executions)');
  await withStepFunctions(async (client) => {
    const stopped = await client.send(
      new StopExecutionCommand({ executionArn: arn, cause: values.cause ?? 'stopped by hand' }),
    );
    const described = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    process.stdout.write(
      `${described.name}  ${described.status}  stopped ${stopped.stopDate?.toISOString() ?? '-'}\n`,
    );
  });
}

/** Reads or moves the local cloud's clock through its control endpoint. */
async function clock(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { to: { type: 'string' } },
    allowPositionals: true,
  });
  const { control } = readEndpoints(dataDir);
  const [verb, by] = positionals;
  let response: Response;
  if (verb === undefined) {
    response = await fetch(`${control}/clock`);
  } else if (verb === 'advance' && (by !== undefined) !== (values.to !== undefined)) {
    response = await fetch(`${control}/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(by === undefined ? { to: values.to } : { by }),
    });
  } else {
    throw new Error('usage: clock, or clock advance <duration>, or clock advance --to <time>');
  }
  const body = (await response.json()) as { now?: string; offsetMs?: number; message?: string };
  if (!response.ok)
    throw new Error(body.message ?? `the control endpoint answered ${response.status}`);
  const ahead = ((body.offsetMs ?? 0) / 1000).toFixed(3);
  process.stdout.write(`${body.now}  (${ahead} s ahead of this machine's clock)\n`);
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  token,
  executions,
  execution,
  'stop-execution': stopExecution,
  events,
  'disk-path': diskPath,
  console: sliceConsole,
  'billing-run': billingRun,
  clock,
};

const [command, ...rest] = process.argv.slice(2);
const run = command ? COMMANDS[command] : undefined;
if (!run) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(command ? 2 : 0);
}
try {
  await run(rest);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
