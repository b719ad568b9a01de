import * as path from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DEFAULT_REGIONS, ENV } from '../../blueprint/facts.ts';
import { functionArnPlaceholder, PLACEHOLDER } from '../../infra/catalog.ts';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { WorkflowsStack } from '../../infra/stacks/workflows-stack.ts';
import { PROBE_CATALOG } from './fixtures/probe-catalog.ts';
import {
  accessOfRole,
  appForDescribe,
  type buildApp,
  denyWithoutTls,
  functionWithVariables,
  PROJECT_ROOT,
  REAL_CATALOG,
  scratchApp,
  statementsAllowing,
  templateForDescribe,
} from './support/synth.ts';

describe('WorkflowsStack', () => {
  const real = appForDescribe(REAL_CATALOG);
  const probe = appForDescribe(PROBE_CATALOG);
  const template = templateForDescribe(() => real.workflows);

  function functionLogicalId(built: ReturnType<typeof buildApp>, name: string): string {
    const sliceFunction = built.workflows.functions.get(name);
    if (sliceFunction === undefined) throw new Error(`no function ${name} in the workflows stack`);
    return built.workflows.getLogicalId(
      sliceFunction.lambdaFunction.node.defaultChild as CfnElement,
    );
  }

  function stateMachineRole(built: ReturnType<typeof buildApp>, workflow: string): iam.IRole {
    const machine = built.workflows.stateMachines.get(workflow);
    if (machine === undefined) throw new Error(`no state machine ${workflow}`);
    return machine.stateMachine.role;
  }

  it('invokes the reconciler when an execution of its state machines ends outside its Catch', () => {
    const rules = template.findResources('AWS::Events::Rule');
    const [rule] = Object.values(rules) as Array<{ Properties: Record<string, unknown> }>;
    const machines = [...real.workflows.stateMachines.values()].map((machine) =>
      real.workflows.getLogicalId(machine.stateMachine.node.defaultChild as CfnElement),
    );

    expect(Object.keys(rules)).toHaveLength(1);
    expect(rule?.Properties).toMatchObject({
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['ABORTED', 'TIMED_OUT', 'FAILED'],
          stateMachineArn: machines.map((id) => ({ Ref: id })),
        },
      },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [functionLogicalId(real, 'reconcile-operation'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8 },
        },
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionLogicalId(real, 'reconcile-operation'), 'Arn'] },
    });
  });

  it('keeps the status changes the reconciler could not be given in a dead-letter queue', () => {
    const queue = real.workflows.deadLetterQueue?.queue;
    if (queue === undefined) throw new Error('no dead-letter queue');
    const queueId = real.workflows.getLogicalId(queue.node.defaultChild as CfnElement);

    // This one, the outbox Pipe's (test/infra/outbox-pipe.test.ts) and the policies' schedules'.
    template.resourceCountIs('AWS::SQS::Queue', 3);
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          denyWithoutTls(),
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('lets the reconciler reach the agents, the records and the images it cleans, not the bus', () => {
    const reconciler = real.workflows.functions.get('reconcile-operation');
    if (reconciler === undefined) throw new Error('no reconcile-operation function');

    const access = accessOfRole(real, real.workflows, reconciler.lambdaFunction.role as iam.IRole);

    expect(statementsAllowing(access, 'secretsmanager:GetSecretValue')).not.toHaveLength(0);
    // Its failure events are written with the records it fails (the outbox).
    expect(statementsAllowing(access, 'events:PutEvents')).toHaveLength(0);
    expect(statementsAllowing(access, 's3:DeleteObject')).not.toHaveLength(0);
    expect(statementsAllowing(access, 'dynamodb:UpdateItem')).not.toHaveLength(0);
    expect(statementsAllowing(access, 'states:StartExecution')).toHaveLength(0);
  });

  it('builds one state machine per catalog workflow, under its fixed name', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', REAL_CATALOG.workflows.length);
    for (const workflow of REAL_CATALOG.workflows) {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `slice-snapshots-${workflow.name}`,
        StateMachineType: 'STANDARD',
      });
    }
  });

  it('logs every event with execution data and traces with X-Ray', () => {
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('LogGroup'), 'Arn'] },
            },
          },
        ],
      },
      TracingConfiguration: { Enabled: true },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('loads the ASL file as an asset and substitutes the invoked functions and resources', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'slice-snapshots-delete-snapshot',
      DefinitionS3Location: Match.objectLike({ Key: Match.stringLikeRegexp('\\.json$') }),
      DefinitionSubstitutions: {
        ...Object.fromEntries(
          [
            'workflow-delete-snapshot-image',
            'workflow-complete-snapshot-deletion',
            'workflow-fail-snapshot-deletion',
          ].map((name) => [
            functionArnPlaceholder(name),
            { 'Fn::GetAtt': [functionLogicalId(real, name), 'Arn'] },
          ]),
        ),
        [PLACEHOLDER.eventBusName]: Match.anyValue(),
        [PLACEHOLDER.tableName]: Match.anyValue(),
      },
    });
  });

  it('lets each state machine invoke exactly the functions its workflow names', () => {
    const probeInvokes = statementsAllowing(
      accessOfRole(probe, probe.workflows, stateMachineRole(probe, 'probe')),
      'lambda:InvokeFunction',
    );
    const idleInvokes = statementsAllowing(
      accessOfRole(probe, probe.workflows, stateMachineRole(probe, 'idle')),
      'lambda:InvokeFunction',
    );

    expect(probeInvokes.flatMap((statement) => statement.Resource)).toHaveLength(2);
    expect(probeInvokes.flatMap((statement) => statement.Resource)).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [functionLogicalId(probe, 'workflow-uploader'), 'Arn'] },
        { 'Fn::GetAtt': [functionLogicalId(probe, 'workflow-cleaner'), 'Arn'] },
      ]),
    );
    expect(idleInvokes.flatMap((statement) => statement.Resource)).toEqual([
      { 'Fn::GetAtt': [functionLogicalId(probe, 'workflow-idle'), 'Arn'] },
    ]);
  });

  it('lets the billing-run state machine invoke its plan, run and summary functions only', () => {
    const invokes = statementsAllowing(
      accessOfRole(real, real.workflows, stateMachineRole(real, 'billing-run')),
      'lambda:InvokeFunction',
    );

    const resources = invokes.flatMap((statement) => statement.Resource);

    expect(resources).toHaveLength(3);
    expect(resources).toEqual(
      expect.arrayContaining(
        ['workflow-plan-billing-run', 'workflow-run-billing', 'workflow-summarize-billing-run'].map(
          (name) => ({
            'Fn::GetAtt': [functionLogicalId(real, name), 'Arn'],
          }),
        ),
      ),
    );
  });

  it.each([
    {
      workflow: 'restore-slice',
      invokes: [
        'workflow-confirm-slice-lock',
        'dispatch-agent-command',
        'workflow-prepare-disk-capture',
        'workflow-mark-snapshot-captured',
        'workflow-keep-undo-snapshot',
        'workflow-drop-undo-snapshot',
        'workflow-clean-up-failed-upload',
        'workflow-complete-restore',
        'workflow-complete-restore-if-committed',
        'workflow-fail-restore',
      ],
    },
    {
      workflow: 'run-policy',
      invokes: [
        'workflow-begin-policy-run',
        'workflow-take-policy-snapshot',
        'workflow-check-policy-snapshot',
        'workflow-prune-policy-snapshots',
        'workflow-finish-policy-run',
      ],
    },
    {
      workflow: 'delete-snapshot',
      invokes: [
        'workflow-delete-snapshot-image',
        'workflow-complete-snapshot-deletion',
        'workflow-request-storage-mark',
        'workflow-fail-snapshot-deletion',
      ],
    },
    {
      workflow: 'storage-mark',
      invokes: [
        'workflow-publish-chunk-sweep',
        'workflow-mark-storage-page',
        'workflow-finish-storage-mark',
        'workflow-sweep-chunk-pages',
        'workflow-finish-chunk-sweep',
      ],
    },
  ])('lets the $workflow state machine invoke its own steps only', ({ workflow, invokes }) => {
    const resources = statementsAllowing(
      accessOfRole(real, real.workflows, stateMachineRole(real, workflow)),
      'lambda:InvokeFunction',
    ).flatMap((statement) => statement.Resource);

    expect(resources).toHaveLength(invokes.length);
    expect(resources).toEqual(
      expect.arrayContaining(
        invokes.map((name) => ({ 'Fn::GetAtt': [functionLogicalId(real, name), 'Arn'] })),
      ),
    );
  });

  it("holds the policies' schedule group, and a role only this account's schedules assume, starting run-policy only", () => {
    const schedules = real.workflows.policySchedules;
    if (schedules === undefined) throw new Error('no policy schedules in the real catalog');
    const access = accessOfRole(real, real.workflows, schedules.role);
    const started = statementsAllowing(access, 'states:StartExecution').flatMap((statement) =>
      [statement.Resource].flat(),
    );
    const runPolicy = real.workflows.stateMachines.get('run-policy');

    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
      Name: 'slice-snapshots-policies',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'slice-snapshots-policy-scheduler',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
    expect([...access.actions].sort()).toEqual([
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
      'states:StartExecution',
    ]);
    expect(started).toEqual([
      {
        Ref: real.workflows.getLogicalId(runPolicy?.stateMachine.node.defaultChild as CfnElement),
      },
    ]);
  });

  it("keeps the policies' scheduled runs Scheduler could not start in a queue of their own", () => {
    const schedules = real.workflows.policySchedules;
    if (schedules === undefined) throw new Error('no policy schedules in the real catalog');
    const access = accessOfRole(real, real.workflows, schedules.role);
    const queue = schedules.deadLetters.queue;
    const sent = statementsAllowing(access, 'sqs:SendMessage').flatMap((statement) =>
      [statement.Resource].flat(),
    );

    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'slice-snapshots-policy-schedule-dead-letters',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    expect(sent).toEqual([
      { 'Fn::GetAtt': [real.workflows.getLogicalId(queue.node.defaultChild as CfnElement), 'Arn'] },
    ]);
  });

  it('hosts the invoked functions on Node 24, arm64', () => {
    const invoked = new Set([
      ...REAL_CATALOG.workflows.flatMap((workflow) => workflow.invokes),
      ...(REAL_CATALOG.rules ?? []).map((rule) => rule.target.function),
    ]);

    template.resourceCountIs('AWS::Lambda::Function', invoked.size);
    for (const name of invoked) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(`^${name} `),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
      });
    }
  });

  it('gives the agent dispatcher the host registry and command context puts, nothing else', () => {
    const role = real.workflows.functions.get('dispatch-agent-command')?.role;
    if (role === undefined) throw new Error('no dispatch-agent-command');

    const access = accessOfRole(real, real.workflows, role);
    const [contextPut] = statementsAllowing(access, 'dynamodb:PutItem');

    expect(access.managedPolicies.sort()).toEqual([
      expect.stringMatching(/^AccessPoliciesCommandContextsWrite/),
      expect.stringMatching(/^AccessPoliciesHostSecretsRead/),
    ]);
    expect(
      access.actions.filter((action) => /^(dynamodb|s3|events|states|kms):/.test(action)),
    ).toEqual(['dynamodb:PutItem']);
    expect(contextPut?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AGENT-COMMAND#*'] },
    });
  });

  it('grants the snapshot steps the images access their work needs, and no more', () => {
    const imagesAccess = (name: string) => {
      const role = real.workflows.functions.get(name)?.role;
      if (role === undefined) throw new Error(`no ${name}`);
      return accessOfRole(real, real.workflows, role).actions.filter((action) =>
        action.startsWith('s3:'),
      );
    };

    expect(imagesAccess('workflow-register-snapshot').sort()).toEqual([
      's3:GetObject',
      's3:ListBucket',
    ]);
    expect(imagesAccess('workflow-clean-up-failed-upload')).toContain('s3:DeleteObject');
    for (const name of [
      'workflow-confirm-slice-lock-for-snapshot',
      'workflow-mark-snapshot-captured',
    ]) {
      expect(imagesAccess(name)).toEqual([]);
    }
    expect(imagesAccess('workflow-fail-snapshot-creation')).toEqual([]);
    expect(imagesAccess('workflow-delete-snapshot-image')).toContain('s3:DeleteObject');
    for (const name of [
      'workflow-confirm-slice-lock',
      'workflow-complete-restore',
      'workflow-fail-restore',
      'workflow-complete-snapshot-deletion',
      'workflow-fail-snapshot-deletion',
      'workflow-request-storage-mark',
    ]) {
      expect(imagesAccess(name)).toEqual([]);
    }
    // The mark pass writes its tally and never deletes a chunk; its finish deletes tallies.
    expect(imagesAccess('workflow-mark-storage-page')).toContain('s3:PutObject');
    expect(imagesAccess('workflow-mark-storage-page')).not.toContain('s3:DeleteObject');
  });

  it('lets the lock confirmation read the table and write nothing', () => {
    const role = real.workflows.functions.get('workflow-confirm-slice-lock')?.role;
    if (role === undefined) throw new Error('no workflow-confirm-slice-lock');

    const { actions } = accessOfRole(real, real.workflows, role);

    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem']));
    expect(
      actions.filter((action) =>
        /^dynamodb:(Put|Update|Delete|BatchWrite|TransactWrite)/.test(action),
      ),
    ).toEqual([]);
    expect(actions.filter((action) => /^(s3|events|states):/.test(action))).toEqual([]);
  });

  it('grants an uploader image writes and host secrets, never deletes', () => {
    const role = probe.workflows.functions.get('workflow-uploader')?.role;
    if (role === undefined) throw new Error('no workflow-uploader');
    const access = accessOfRole(probe, probe.workflows, role);
    const { actions } = access;
    const [keyUse] = statementsAllowing(access, 'kms:GenerateDataKey');

    expect(actions).toEqual(
      expect.arrayContaining([
        's3:GetObject',
        's3:PutObject',
        's3:ListBucket',
        'secretsmanager:GetSecretValue',
      ]),
    );
    expect(actions).not.toContain('s3:DeleteObject');
    expect(actions.filter((action) => /^dynamodb:/.test(action))).toEqual([]);
    expect(keyUse?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    });
    Template.fromStack(probe.workflows).hasResourceProperties(
      'AWS::Lambda::Function',
      functionWithVariables('workflow-uploader', {
        [ENV.imagesBuckets]: Match.anyValue(),
        [ENV.hostRegistrySecret]: Match.anyValue(),
      }),
    );
  });

  it('grants a cleaner image deletes', () => {
    const role = probe.workflows.functions.get('workflow-cleaner')?.role;
    if (role === undefined) throw new Error('no workflow-cleaner');

    const access = accessOfRole(probe, probe.workflows, role);

    expect(access.managedPolicies).toEqual([expect.stringMatching(/^AccessPoliciesImagesDelete/)]);
    expect(access.actions).toContain('s3:DeleteObject');
    expect(access.actions).not.toContain('secretsmanager:GetSecretValue');
  });

  it('refuses an ASL file whose placeholders it cannot supply', () => {
    const { app, dispose } = scratchApp();
    onTestFinished(dispose);
    const data = new DataStack(app, 'Data', {
      eventBusName: 'bus',
      eventSource: 'bus',
      regions: DEFAULT_REGIONS,
    });

    const build = () =>
      new WorkflowsStack(app, 'Workflows', {
        resources: data.resources,
        // The probe ASL names two functions; this workflow invokes only one of them.
        workflows: [{ ...probeWorkflow(), invokes: ['workflow-uploader'] }],
        functions: PROBE_CATALOG.functions.filter((spec) => spec.name === 'workflow-uploader'),
        bundleDirectories: new Map([
          ['workflow-uploader', path.join(PROJECT_ROOT, 'test/infra/fixtures')],
        ]),
        regions: [],
        workflowNamePrefix: 'test',
        projectRoot: PROJECT_ROOT,
      });

    expect(build).toThrow(/WorkflowCleanerFunctionArn/);
  });
});

function probeWorkflow() {
  const workflow = PROBE_CATALOG.workflows.find((candidate) => candidate.name === 'probe');
  if (workflow === undefined) throw new Error('no probe workflow');
  return workflow;
}
