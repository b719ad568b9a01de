import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AGENT_ROUTES, ENV } from '../../blueprint/facts.ts';
import { apiRequest, bodyOf } from '../unit/functions/api-request.ts';
import { lambdaContext } from '../unit/functions/lambda-context.ts';
import { PROBE_CATALOG } from './fixtures/probe-catalog.ts';
import {
  accessOfRole,
  appForDescribe,
  type buildApp,
  functionWithVariables,
  importedFromData,
  REAL_CATALOG,
  type RoleAccess,
  renderCfnString,
  statementsAllowing,
  templateForDescribe,
} from './support/synth.ts';

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

describe('ApiStack', () => {
  const real = appForDescribe(REAL_CATALOG);
  const probe = appForDescribe(PROBE_CATALOG);
  const template = templateForDescribe(() => real.api);
  const probeTemplate = templateForDescribe(() => probe.api);

  function accessOf(built: ReturnType<typeof buildApp>, name: string): RoleAccess {
    const sliceFunction = built.api.functions.get(name);
    if (sliceFunction === undefined) throw new Error(`no function ${name} in the API stack`);
    return accessOfRole(built, built.api, sliceFunction.role);
  }

  function environmentOf(name: string): Record<string, unknown> {
    const functions = probeTemplate.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp(`^${name} `) },
    });
    const [found] = Object.values(functions);
    if (found === undefined) throw new Error(`no function ${name} in the probe API stack`);
    return found.Properties.Environment.Variables;
  }

  describe('routes', () => {
    it('declares every catalog route, once', () => {
      const expected = REAL_CATALOG.functions.flatMap((spec) =>
        (spec.routes ?? []).map((route) => `${route.method} ${route.path}`),
      );

      const routes = template.findResources('AWS::ApiGatewayV2::Route');
      const routeKeys = Object.values(routes).map((route) => route.Properties.RouteKey);

      expect(routeKeys.sort()).toEqual(expected.sort());
    });

    it("deploys every route openapi.json documents, and documents every one but the agents'", async () => {
      const { handler } = await import('../../functions/api-get-openapi.ts');
      const served = await handler(
        apiRequest({ routeKey: 'GET /openapi.json', path: '/openapi.json', pathParameters: {} }),
        lambdaContext('api-get-openapi'),
      );
      const { paths } = bodyOf<{ paths: Record<string, Record<string, unknown>> }>(served);
      const documented = Object.entries(paths).flatMap(([path, operations]) =>
        Object.keys(operations)
          .filter((key) => HTTP_METHODS.has(key))
          .map((method) => `${method.toUpperCase()} ${path}`),
      );
      const deployed = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
        (route) => String(route.Properties.RouteKey),
      );
      const forAgents = Object.values(AGENT_ROUTES).map((route) => `${route.method} ${route.path}`);

      expect(documented.length).toBeGreaterThan(0);
      expect(deployed.filter((key) => !forAgents.includes(key)).sort()).toEqual(documented.sort());
      expect(deployed).toEqual(expect.arrayContaining(forAgents));
    });

    it('puts the JWT authorizer on jwt routes', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'GET /v1/regions',
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: Match.stringLikeRegexp('^HttpApiJwtAuthorizer') },
      });
      probeTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'DELETE /v1/probes/{id}',
        AuthorizationType: 'JWT',
        AuthorizerId: Match.anyValue(),
      });
    });

    it('leaves none routes without an authorizer', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'GET /openapi.json',
        AuthorizationType: 'NONE',
        AuthorizerId: Match.absent(),
      });
      probeTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'POST /agent/v1/callbacks',
        AuthorizationType: 'NONE',
        AuthorizerId: Match.absent(),
      });
    });

    it('trusts tokens the user pool issues for the app client and the console', () => {
      const pools = Object.keys(template.findResources('AWS::Cognito::UserPool'));
      const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
        real.api.getLogicalId(construct.node.defaultChild as CfnElement);
      const consoleClient = real.api.consoleSignIn?.client;
      if (!consoleClient) throw new Error('the API stack has no console client');

      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [
            { Ref: logicalId(real.api.userPoolClient) },
            { Ref: logicalId(consoleClient) },
          ],
          Issuer: {
            'Fn::Join': [
              '',
              [
                'https://cognito-idp.',
                { Ref: 'AWS::Region' },
                '.amazonaws.com/',
                { Ref: pools[0] },
              ],
            ],
          },
        },
      });
      expect(pools).toHaveLength(1);
      template.resourceCountIs('AWS::Cognito::UserPoolClient', 2);
    });
  });

  describe('stage', () => {
    it('logs every request as JSON and throttles by default', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccessLogs'), 'Arn'] },
          Format: Match.serializedJson(
            Match.objectLike({ requestId: '$context.requestId', status: '$context.status' }),
          ),
        },
        DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: 90,
      });
    });
  });

  describe('user pool', () => {
    it('carries an immutable account attribute and no self sign-up', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'account', AttributeDataType: 'String', Mutable: false }),
        ]),
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      });
    });

    it('asks strong passwords, TOTP MFA and the Plus tier threat protection', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      });
    });

    it('lets users write their profile but not their account', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        WriteAttributes: Match.not(Match.arrayWith(['custom:account'])),
        GenerateSecret: false,
      });
    });
  });

  describe('functions', () => {
    it('builds one Node 24 arm64 function per catalog function with routes', () => {
      const withRoutes = REAL_CATALOG.functions.filter((spec) => (spec.routes ?? []).length > 0);

      template.resourceCountIs('AWS::Lambda::Function', withRoutes.length);
      template.allResourcesProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: Match.objectLike({ LogGroup: { Ref: Match.anyValue() } }),
      });
    });

    it('takes timeout and memory from the catalog, with defaults', () => {
      probeTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^api-starter '),
        Timeout: 20,
        MemorySize: 512,
      });
      probeTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^api-reader '),
        Timeout: 10,
        MemorySize: 256,
      });
    });

    it("gives api-list-regions no data access but its callers' token buckets, and the regions", () => {
      const access = accessOf(real, 'api-list-regions');
      const [spend] = statementsAllowing(access, 'dynamodb:UpdateItem');

      expect(access.managedPolicies).toEqual([
        expect.stringMatching(/^AccessPoliciesRateLimitWrite/),
      ]);
      expect(access.actions.sort()).toEqual(
        [
          'dynamodb:UpdateItem',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ].sort(),
      );
      expect(spend?.Condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RATE-LIMIT#*'] },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^api-list-regions '),
        Environment: {
          Variables: {
            [ENV.regions]: JSON.stringify([
              { id: 'fra1', name: 'Frankfurt 1' },
              { id: 'nyc1', name: 'New York 1' },
            ]),
            [ENV.tableName]: Match.anyValue(),
          },
        },
      });
    });

    it('lets every function behind the authorizer spend account tokens, and no other', () => {
      for (const [name, sliceFunction] of real.api.functions) {
        const policies = accessOf(real, name).managedPolicies;
        const authenticated = (sliceFunction.spec.routes ?? []).some((r) => r.auth === 'jwt');

        expect(
          policies.some((policy) => policy.startsWith('AccessPoliciesRateLimitWrite')),
          name,
        ).toBe(authenticated);
      }
    });

    it('grants table read only to a reader', () => {
      const access = accessOf(probe, 'api-reader');
      const { actions } = access;

      expect(access.managedPolicies.sort()).toEqual([
        expect.stringMatching(/^AccessPoliciesRateLimitWrite/),
        expect.stringMatching(/^AccessPoliciesTableRead/),
      ]);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(actions).not.toContain('dynamodb:PutItem');
      expect(
        actions.filter((action) => /^(s3|events|states|kms|secretsmanager):/.test(action)),
      ).toEqual([]);
    });

    it('hands a cursor reader the cursor key secret and a policy reading exactly it', () => {
      const secret = probe.data.resources.cursorKeySecret;
      const secretId = probe.data.getLogicalId(secret.node.defaultChild as CfnElement);

      const access = accessOf(probe, 'api-pager');
      const variables = environmentOf('api-pager');

      expect(access.managedPolicies.sort()).toEqual([
        expect.stringMatching(/^AccessPoliciesCursorKeyRead/),
        expect.stringMatching(/^AccessPoliciesRateLimitWrite/),
        expect.stringMatching(/^AccessPoliciesTableRead/),
      ]);
      expect(
        access.statements.filter((statement) =>
          [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
        ),
      ).toEqual([
        {
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: { Ref: secretId },
        },
      ]);
      expect(importedFromData(probe, variables[ENV.cursorKeySecret])).toEqual({ Ref: secretId });
    });

    it('gives a function that pages nothing neither the cursor key nor its policy', () => {
      const access = accessOf(probe, 'api-reader');
      const variables = environmentOf('api-reader');

      expect(access.managedPolicies).not.toContainEqual(expect.stringMatching(/CursorKeyRead/));
      expect(access.actions.filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
      expect(Object.keys(variables)).not.toContain(ENV.cursorKeySecret);
    });

    it('lets api-create-slice start and describe the create-slice workflow only', () => {
      const machine =
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:slice-snapshots-create-slice';
      const executions =
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:slice-snapshots-create-slice:*';

      const access = accessOf(probe, 'api-create-slice');
      const resourcesAllowing = (action: string) =>
        statementsAllowing(access, action).flatMap((statement) =>
          [statement.Resource].flat().map(renderCfnString),
        );
      const variables = environmentOf('api-create-slice');

      expect(access.actions.filter((action) => action.startsWith('states:')).sort()).toEqual([
        'states:DescribeExecution',
        'states:StartExecution',
      ]);
      expect(resourcesAllowing('states:StartExecution')).toEqual([machine]);
      expect(resourcesAllowing('states:DescribeExecution')).toEqual([executions]);
      expect(JSON.parse(renderCfnString(variables[ENV.stateMachineArns]))).toEqual({
        'create-slice': machine,
      });
    });

    it.each([
      { name: 'api-request-restore', workflow: 'restore-slice' },
      { name: 'api-request-snapshot-deletion', workflow: 'delete-snapshot' },
      { name: 'api-request-power-change', workflow: 'change-slice-power' },
      { name: 'api-request-slice-deletion', workflow: 'delete-slice' },
    ])('lets $name start the $workflow workflow only', ({ name, workflow }) => {
      const access = accessOf(real, name);

      const started = statementsAllowing(access, 'states:StartExecution').flatMap((statement) =>
        [statement.Resource].flat().map(renderCfnString),
      );

      expect(started).toEqual([
        `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:slice-snapshots-${workflow}`,
      ]);
      // Its events are written with its records (the outbox): it never puts them on the bus.
      expect(access.actions).not.toContain('events:PutEvents');
      expect(access.actions.filter((action) => action.startsWith('s3:'))).toEqual([]);
      expect(access.actions).not.toContain('secretsmanager:GetSecretValue');
    });

    it.each([
      'api-create-snapshot-policy',
      'api-update-snapshot-policy',
      'api-delete-snapshot-policy',
    ])('lets %s manage the policies schedules, and pass them only their role', (name) => {
      const access = accessOf(real, name);
      const resourcesAllowing = (action: string) =>
        statementsAllowing(access, action).flatMap((statement) =>
          [statement.Resource].flat().map(renderCfnString),
        );
      const [passRole] = statementsAllowing(access, 'iam:PassRole');
      const [found] = Object.values(
        template.findResources('AWS::Lambda::Function', {
          Properties: { Description: Match.stringLikeRegexp(`^${name} `) },
        }),
      );
      const environment = found?.Properties.Environment.Variables ?? {};

      expect(access.actions.filter((action) => action.startsWith('scheduler:')).sort()).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
        'scheduler:UpdateSchedule',
      ]);
      expect(resourcesAllowing('scheduler:CreateSchedule')).toEqual([
        'arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/slice-snapshots-policies/*',
      ]);
      expect(resourcesAllowing('iam:PassRole')).toEqual([
        'arn:<AWS::Partition>:iam::<AWS::AccountId>:role/slice-snapshots-policy-scheduler',
      ]);
      expect(passRole?.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      });
      // It names what the schedules start, but may not start it itself.
      expect(access.actions).not.toContain('states:StartExecution');
      expect(environment[ENV.policyScheduleGroup]).toBe('slice-snapshots-policies');
      expect(renderCfnString(environment[ENV.policyScheduleDeadLetterArn])).toBe(
        'arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:slice-snapshots-policy-schedule-dead-letters',
      );
      expect(JSON.parse(renderCfnString(environment[ENV.stateMachineArns]))).toEqual({
        'run-policy':
          'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:slice-snapshots-run-policy',
      });
    });

    it('lets no other function touch schedules or pass roles', () => {
      const managers = new Set([
        'api-create-snapshot-policy',
        'api-update-snapshot-policy',
        'api-delete-snapshot-policy',
      ]);
      const others = [...real.api.functions.keys()].filter((name) => !managers.has(name));

      const touching = others.filter((name) =>
        accessOf(real, name).actions.some(
          (action) => action.startsWith('scheduler:') || action === 'iam:PassRole',
        ),
      );

      expect(others.length).toBeGreaterThan(10);
      expect(touching).toEqual([]);
    });

    it('lets a starter write and start only its workflow', () => {
      const access = accessOf(probe, 'api-starter');
      const { actions } = access;
      const [start] = statementsAllowing(access, 'states:StartExecution');
      const [describeExecution] = statementsAllowing(access, 'states:DescribeExecution');

      expect(access.managedPolicies.sort()).toEqual([
        expect.stringMatching(/^AccessPoliciesRateLimitWrite/),
        expect.stringMatching(/^AccessPoliciesTableWrite/),
      ]);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
      expect(actions).not.toContain('events:PutEvents');
      expect([start?.Resource].flat().map(renderCfnString)).toEqual([
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:slice-snapshots-probe',
      ]);
      expect([describeExecution?.Resource].flat().map(renderCfnString)).toEqual([
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:slice-snapshots-probe:*',
      ]);
      expect(actions).not.toContain('states:SendTaskSuccess');
    });

    it('hands a starter its state machine ARNs as JSON by workflow name', () => {
      const functions = probeTemplate.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^api-starter ') },
      });
      const [starter] = Object.values(functions);
      const variables = starter?.Properties.Environment.Variables;

      expect(JSON.parse(renderCfnString(variables[ENV.stateMachineArns]))).toEqual({
        probe:
          'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:slice-snapshots-probe',
      });
      expect(Object.keys(variables)).toEqual(expect.arrayContaining([ENV.tableName, ENV.regions]));
      expect(Object.keys(variables)).not.toContain('EVENT_BUS_NAME');
      expect(Object.keys(variables)).not.toContain(ENV.imagesBuckets);
    });

    it('lets the real callback function read host secrets, claim nonces, report on tasks and write progress', () => {
      const access = accessOf(real, 'api-report-agent-callback');
      const [noncePut] = statementsAllowing(access, 'dynamodb:PutItem');

      expect(access.managedPolicies.sort()).toEqual([
        expect.stringMatching(/^AccessPoliciesCallbackNoncesWrite/),
        expect.stringMatching(/^AccessPoliciesHostSecretsRead/),
        expect.stringMatching(/^AccessPoliciesProgressWrite/),
      ]);
      expect(access.actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      expect(noncePut?.Condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AGENT-NONCE#*'] },
      });
      expect(access.actions).toEqual(
        expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure']),
      );
      template.hasResourceProperties(
        'AWS::Lambda::Function',
        functionWithVariables('api-report-agent-callback', {
          [ENV.tableName]: Match.anyValue(),
          [ENV.hostRegistrySecret]: Match.anyValue(),
        }),
      );
    });

    it('lets the callback function send task results and nothing else', () => {
      const access = accessOf(probe, 'api-report-agent-callback');
      const [taskResults] = statementsAllowing(access, 'states:SendTaskSuccess');

      expect(access.managedPolicies).toEqual([]);
      expect(access.actions.sort()).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'states:SendTaskFailure',
        'states:SendTaskHeartbeat',
        'states:SendTaskSuccess',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      // SendTask* support no resource-level permissions.
      expect(taskResults?.Resource).toBe('*');
    });
  });
});
