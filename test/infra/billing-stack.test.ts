import * as path from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEFAULT_REGIONS } from '../../blueprint/facts.ts';
import { BillingStack } from '../../infra/stacks/billing-stack.ts';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { PROBE_CATALOG } from './fixtures/probe-catalog.ts';
import {
  accessOfRole,
  buildApp,
  denyWithoutTls,
  PROJECT_ROOT,
  REAL_CATALOG,
  renderCfnString,
  type StatementJson,
  scratchApp,
  statementsAllowing,
} from './support/synth.ts';

interface ScheduleJson {
  readonly Properties: { readonly Target: { readonly Arn: unknown; readonly RoleArn: unknown } };
}

/** The one schedule of `template` whose description starts with `name`. */
function scheduleNamed(template: Template, name: string): ScheduleJson {
  const [schedule, ...others] = Object.values(
    template.findResources('AWS::Scheduler::Schedule', {
      Properties: { Description: Match.stringLikeRegexp(`^${name}: `) },
    }),
  ) as ScheduleJson[];
  if (schedule === undefined || others.length > 0) throw new Error(`no single schedule ${name}`);
  return schedule;
}

/** Every statement of the inline policies of the role a schedule's target assumes. */
function targetRoleStatements(template: Template, schedule: ScheduleJson): StatementJson[] {
  const roleArn = schedule.Properties.Target.RoleArn as { 'Fn::GetAtt': [string, string] };
  const [roleId] = roleArn['Fn::GetAtt'];
  return Object.values(
    template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
    }),
  ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as StatementJson[]);
}

/** The logical ID of the schedules' dead-letter queue. */
function deadLetterQueueId(template: Template): string {
  const [queueId, ...others] = Object.keys(template.findResources('AWS::SQS::Queue'));
  if (queueId === undefined || others.length > 0) throw new Error('no single dead-letter queue');
  return queueId;
}

function stateMachineArnOf(workflow: string): string {
  return `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:slice-snapshots-${workflow}`;
}

describe('BillingStack', () => {
  let probe: ReturnType<typeof buildApp>;
  let real: ReturnType<typeof buildApp>;
  let template: Template;
  let realTemplate: Template;
  let stack: BillingStack;

  beforeAll(() => {
    probe = buildApp(PROBE_CATALOG);
    real = buildApp(REAL_CATALOG);
    if (probe.billing === undefined || real.billing === undefined) {
      throw new Error('both catalogs schedule billing');
    }
    stack = probe.billing;
    template = Template.fromStack(stack);
    realTemplate = Template.fromStack(real.billing);
  });
  afterAll(() => {
    probe?.dispose();
    real?.dispose();
  });

  /**
   * A function of the real billing stack that the schedule `scheduleName` invokes (checked: the
   * schedule targets it), and what its role may do.
   */
  function scheduledFunction(scheduleName: string, functionName = scheduleName) {
    const schedule = scheduleNamed(realTemplate, scheduleName);
    const invoked = real.billing?.functions.get(functionName);
    const realStack = real.billing;
    if (invoked === undefined || realStack === undefined) throw new Error(`no ${functionName}`);
    expect(schedule.Properties.Target.Arn).toEqual({
      'Fn::GetAtt': [
        realStack.getLogicalId(invoked.lambdaFunction.node.defaultChild as CfnElement),
        'Arn',
      ],
    });
    return accessOfRole(real, realStack, invoked.lambdaFunction.role as iam.IRole);
  }

  /** The state machines a role may start, rendered. */
  function workflowsStartedBy(access: ReturnType<typeof accessOfRole>): string[] {
    return statementsAllowing(access, 'states:StartExecution').flatMap((statement) =>
      [statement.Resource].flat().map(renderCfnString),
    );
  }

  const imageActionsOf = (access: ReturnType<typeof accessOfRole>) =>
    access.actions.filter((action) => /^s3:/.test(action));

  it('schedules each catalog schedule, in UTC, invoking its function with its input', () => {
    const billingRun = stack.functions.get('billing-run')?.lambdaFunction;
    if (billingRun === undefined) throw new Error('no billing-run');
    const functionId = stack.getLogicalId(billingRun.node.defaultChild as iam.CfnRole);

    template.resourceCountIs('AWS::Scheduler::Schedule', PROBE_CATALOG.schedules.length);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 1 * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Input: JSON.stringify({ run: 'month-end' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
      }),
    });
  });

  it('gives the scheduler a role that may invoke the target and dead-letter it, no more', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: Match.arrayWith([
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^BillingRunFunction'), 'Arn'] },
            ]),
          }),
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [deadLetterQueueId(template), 'Arn'] },
          }),
        ],
      },
    });
  });

  it('keeps what a schedule could not deliver in its dead-letter queue, encrypted, TLS only', () => {
    const queueId = deadLetterQueueId(realTemplate);

    realTemplate.resourceCountIs('AWS::SQS::Queue', 1);
    realTemplate.resourceCountIs('AWS::Scheduler::Schedule', 5);
    realTemplate.allResourcesProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } }),
    });
    realTemplate.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    realTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([denyWithoutTls()]),
      },
    });
  });

  it("starts a workflow's state machine, addressed by its name, with the schedule's input", () => {
    const schedule = scheduleNamed(template, 'nightly-idle');

    expect(renderCfnString(schedule.Properties.Target.Arn)).toBe(stateMachineArnOf('idle'));
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: Match.stringLikeRegexp('^nightly-idle: '),
      ScheduleExpression: 'rate(1 day)',
      Target: Match.objectLike({
        Input: JSON.stringify({ run: 'nightly' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
      }),
    });
  });

  it('sweeps the running operations every 5 minutes, invoking the sweep function', () => {
    const access = scheduledFunction('sweep-operations');

    realTemplate.resourceCountIs('AWS::Lambda::Function', 4);
    realTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: Match.stringLikeRegexp('^sweep-operations: '),
      ScheduleExpression: 'rate(5 minutes)',
    });
    // It describes each workflow's executions (to find those ended) and may start none.
    expect(statementsAllowing(access, 'states:DescribeExecution')).toHaveLength(1);
    expect(
      access.statements.some((statement) =>
        ([] as string[]).concat(statement.Action).includes('states:StopExecution'),
      ),
    ).toBe(false);
  });

  it('purges the recycle bin every 15 minutes, invoking the purge function', () => {
    scheduledFunction('purge-expired-snapshots');

    realTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: Match.stringLikeRegexp('^purge-expired-snapshots: '),
      ScheduleExpression: 'rate(15 minutes)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: Match.objectLike({
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
      }),
    });
  });

  it('lets the purge function start snapshot deletions and no other workflow, nor touch an image', () => {
    const access = scheduledFunction('purge-expired-snapshots');

    expect(workflowsStartedBy(access)).toEqual([stateMachineArnOf('delete-snapshot')]);
    expect(access.actions).toEqual(
      expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem']),
    );
    expect(imageActionsOf(access)).toEqual([]);
  });

  it('requests the daily storage marks, its function starting storage-mark passes only', () => {
    const access = scheduledFunction('request-storage-marks-daily', 'request-storage-marks');

    realTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: Match.stringLikeRegexp('^request-storage-marks-daily: '),
      ScheduleExpression: 'cron(30 3 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
    });
    expect(workflowsStartedBy(access)).toEqual([stateMachineArnOf('storage-mark')]);
    expect(imageActionsOf(access)).toEqual([]);
  });

  it('reads stale snapshots back every hour, starting verifications only, never touching an image', () => {
    const access = scheduledFunction('verify-stale-snapshots');

    realTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: Match.stringLikeRegexp('^verify-stale-snapshots: '),
      ScheduleExpression: 'rate(1 hour)',
    });
    expect(workflowsStartedBy(access)).toEqual([stateMachineArnOf('verify-snapshot')]);
    expect(imageActionsOf(access)).toEqual([]);
  });

  it('runs the daily billing by starting the billing-run state machine with {}', () => {
    const schedule = scheduleNamed(realTemplate, 'billing-run-daily');

    realTemplate.resourceCountIs('AWS::Scheduler::Schedule', 5);
    expect(renderCfnString(schedule.Properties.Target.Arn)).toBe(stateMachineArnOf('billing-run'));
    realTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 0 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: Match.objectLike({ Input: '{}' }),
    });
  });

  it('lets the daily billing schedule start the billing-run state machine and nothing else', () => {
    const statements = targetRoleStatements(
      realTemplate,
      scheduleNamed(realTemplate, 'billing-run-daily'),
    );

    expect(
      statements.map((statement) => ({
        effect: statement.Effect,
        action: statement.Action,
        resource: renderCfnString(statement.Resource),
      })),
    ).toEqual([
      {
        effect: 'Allow',
        action: 'states:StartExecution',
        resource: stateMachineArnOf('billing-run'),
      },
      {
        effect: 'Allow',
        action: 'sqs:SendMessage',
        resource: `<${deadLetterQueueId(realTemplate)}.Arn>`,
      },
    ]);
  });

  it('deploys after the workflows whose state machines its schedules start', () => {
    expect(real.billing?.dependencies).toContain(real.workflows);
  });

  it('grants the billing function what its catalog entry says', () => {
    const role = stack.functions.get('billing-run')?.role;
    if (role === undefined) throw new Error('no billing-run');

    const access = accessOfRole(probe, stack, role);

    expect(access.actions).toContain('dynamodb:PutItem');
    // Monthly Charges Computed is written with the charges (the outbox), not put on the bus.
    expect(access.actions).not.toContain('events:PutEvents');
    expect(imageActionsOf(access)).toEqual([]);
  });

  it('copes with no schedules at all', () => {
    // The empty stack is the point here: CloudFormation's "no resources" finding is expected.
    const { app, dispose } = scratchApp({ builtinCloudFormationValidation: false });
    onTestFinished(dispose);
    const data = new DataStack(app, 'Data', {
      eventBusName: 'bus',
      eventSource: 'bus',
      regions: DEFAULT_REGIONS,
    });

    const empty = new BillingStack(app, 'Billing', {
      resources: data.resources,
      schedules: [],
      functions: [],
      bundleDirectories: new Map([['unused', path.join(PROJECT_ROOT, 'test/infra/fixtures')]]),
      regions: [],
      workflowNamePrefix: 'test',
    });

    const emptyTemplate = Template.fromStack(empty);
    emptyTemplate.resourceCountIs('AWS::Scheduler::Schedule', 0);
    emptyTemplate.resourceCountIs('AWS::Lambda::Function', 0);
    emptyTemplate.resourceCountIs('AWS::SQS::Queue', 0);
  });

  it('is left out of the app while the catalog schedules nothing', () => {
    const unscheduled = buildApp({ functions: [], workflows: [], schedules: [] });
    onTestFinished(unscheduled.dispose);

    expect(unscheduled.billing).toBeUndefined();
    expect(unscheduled.app.node.tryFindChild('SliceSnapshotsBilling')).toBeUndefined();
    expect(probe.app.node.tryFindChild('SliceSnapshotsBilling')).toBe(probe.billing);
  });
});
