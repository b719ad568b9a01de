import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BillingStack } from '../../infra/stacks/billing-stack.ts';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { PROBE_CATALOG } from './fixtures/probe-catalog.ts';
import { accessOfRole, buildApp, PROJECT_ROOT, scratchApp } from './support/synth.ts';

describe('BillingStack', () => {
  let probe: ReturnType<typeof buildApp>;
  let template: Template;
  let stack: BillingStack;

  beforeAll(() => {
    probe = buildApp(PROBE_CATALOG);
    if (probe.billing === undefined) throw new Error('the probe catalog schedules billing');
    stack = probe.billing;
    template = Template.fromStack(stack);
  });
  afterAll(() => probe?.dispose());

  it('schedules each catalog schedule, in UTC, invoking its function with its input', () => {
    const billingRun = stack.functions.get('billing-run')?.lambdaFunction;
    if (billingRun === undefined) throw new Error('no billing-run');
    const functionId = stack.getLogicalId(billingRun.node.defaultChild as iam.CfnRole);

    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
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

  it('gives the scheduler a role that may invoke the target only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: Match.arrayWith([
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^BillingRunFunction'), 'Arn'] },
            ]),
          }),
        ],
      },
    });
  });

  it('grants the billing function what its catalog entry says', () => {
    const role = stack.functions.get('billing-run')?.role;
    if (role === undefined) throw new Error('no billing-run');

    const access = accessOfRole(probe, stack, role);

    expect(access.actions).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'events:PutEvents']),
    );
    expect(access.actions.filter((action) => /^s3:/.test(action))).toEqual([]);
  });

  it('copes with no schedules at all', () => {
    // The empty stack is the point here: CloudFormation's "no resources" finding is expected.
    const { app, dispose } = scratchApp({ builtinCloudFormationValidation: false });
    onTestFinished(dispose);
    const data = new DataStack(app, 'Data', { eventBusName: 'bus', eventSource: 'bus' });

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
  });

  it('is left out of the app while the catalog schedules nothing', () => {
    const unscheduled = buildApp({ functions: [], workflows: [], schedules: [] });
    onTestFinished(unscheduled.dispose);

    expect(unscheduled.billing).toBeUndefined();
    expect(unscheduled.app.node.tryFindChild('SliceSnapshotsBilling')).toBeUndefined();
    expect(probe.app.node.tryFindChild('SliceSnapshotsBilling')).toBe(probe.billing);
  });
});
