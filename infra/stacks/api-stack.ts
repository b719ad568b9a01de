import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { STAGE_THROTTLE } from '../../blueprint/facts.ts';
import type { FunctionSpec } from '../catalog.ts';
import { constructId } from '../construct-id.ts';
import { ConsoleSignIn } from '../constructs/console-sign-in.ts';
import type { ServedRegion, SharedResources } from '../constructs/shared-resources.ts';
import { createSliceFunctions, type SliceFunction } from '../constructs/slice-function.ts';

export interface ApiStackProps extends StackProps {
  readonly resources: SharedResources;
  /** The catalog functions that have routes. */
  readonly functions: readonly FunctionSpec[];
  readonly bundleDirectories: ReadonlyMap<string, string>;
  readonly regions: readonly ServedRegion[];
  readonly workflowNamePrefix: string;
  /** The web console, whose users sign in through the hosted UI and call this API. */
  readonly console?: {
    /** `https://<distribution domain>`. */
    readonly url: string;
    readonly hostedUiDomainPrefix: string;
  };
}

/** One line per request, as JSON, with what an operator needs to follow a request through. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    subject: '$context.authorizer.claims.sub',
  }),
);

/**
 * The public API: an HTTP API whose `jwt` routes sit behind a JWT authorizer trusting the user
 * pool, with one function per catalog entry that has routes.
 */
export class ApiStack extends Stack {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly functions: ReadonlyMap<string, SliceFunction>;
  /** The console's sign-in (hosted UI and app client), when the app has a console. */
  readonly consoleSignIn: ConsoleSignIn | undefined;

  /** The user pool as a token issuer: what the JWT authorizer trusts. */
  get issuer(): string {
    return `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // The account a user acts for: set by the operator at creation, never changed after.
      customAttributes: { account: new cognito.StringAttribute({ mutable: false }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Users act on other people's virtual machines' disks: compromised-credential and
      // adaptive-authentication protection are worth the Plus tier.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPoolClient = this.userPool.addClient('AppClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      // Users may edit their profile, never the account they belong to.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({
        email: true,
        fullname: true,
      }),
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    this.consoleSignIn = props.console
      ? new ConsoleSignIn(this, 'ConsoleSignIn', {
          userPool: this.userPool,
          consoleUrl: props.console.url,
          domainPrefix: props.console.hostedUiDomainPrefix,
        })
      : undefined;
    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', this.issuer, {
      jwtAudience: [
        this.userPoolClient.userPoolClientId,
        ...(this.consoleSignIn ? [this.consoleSignIn.client.userPoolClientId] : []),
      ],
    });

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Slice snapshots API (v1)',
      // The default stage is created below, so that it carries access logs and throttling.
      createDefaultStage: false,
      // The console calls from its own origin: that origin only, with the headers it sends.
      ...(props.console
        ? {
            corsPreflight: {
              allowOrigins: [props.console.url],
              allowMethods: [
                apigwv2.CorsHttpMethod.GET,
                apigwv2.CorsHttpMethod.POST,
                apigwv2.CorsHttpMethod.PATCH,
                apigwv2.CorsHttpMethod.DELETE,
              ],
              allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
              exposeHeaders: ['retry-after'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: STAGE_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    const functions = createSliceFunctions(this, {
      functions: props.functions,
      bundleDirectories: props.bundleDirectories,
      resources: props.resources,
      regions: props.regions,
      workflowNamePrefix: props.workflowNamePrefix,
    });
    for (const sliceFunction of functions.values()) {
      const { spec } = sliceFunction;
      const integration = new HttpLambdaIntegration(
        `${constructId(spec.name)}Integration`,
        sliceFunction.lambdaFunction,
      );
      for (const route of spec.routes ?? []) {
        const [httpRoute] = this.httpApi.addRoutes({
          path: route.path,
          methods: [apigwv2.HttpMethod[route.method]],
          integration,
          authorizer: route.auth === 'jwt' ? authorizer : undefined,
        });
        if (route.auth === 'none' && httpRoute !== undefined) {
          Validations.of(httpRoute).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              `${route.method} ${route.path} is declared auth none in the catalog: public by ` +
              'design, or authenticated by its handler (signed agent callbacks).',
          });
        }
      }
    }
    this.functions = functions;

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
  }
}
