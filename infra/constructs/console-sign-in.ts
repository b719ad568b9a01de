import { Duration, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { CONSOLE_SIGN_IN_CALLBACK_PATH } from '../../blueprint/facts.ts';

export interface ConsoleSignInProps {
  readonly userPool: cognito.UserPool;
  /** The console's address, `https://<distribution domain>`, without a trailing slash. */
  readonly consoleUrl: string;
  /** The hosted UI's domain prefix: `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
}

/** The hosted UI's address for a domain prefix, in the stack's region. */
export function hostedUiUrl(scope: Construct, domainPrefix: string): string {
  return `https://${domainPrefix}.auth.${Stack.of(scope).region}.amazoncognito.com`;
}

/**
 * How users sign in to the web console: the user pool's hosted UI on its own domain, and an app
 * client of the console (public: no secret) that gets tokens by the authorization code grant with
 * PKCE only, sending the browser back to the console and nowhere else.
 */
export class ConsoleSignIn extends Construct {
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly hostedUiUrl: string;

  constructor(scope: Construct, id: string, props: ConsoleSignInProps) {
    super(scope, id);
    this.domain = props.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
    this.hostedUiUrl = hostedUiUrl(this, props.domainPrefix);
    this.client = props.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      // The hosted UI only: no password or SRP flow from the browser itself.
      authFlows: { user: false, userSrp: false, userPassword: false, custom: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${props.consoleUrl}${CONSOLE_SIGN_IN_CALLBACK_PATH}`],
        logoutUrls: [`${props.consoleUrl}/`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
  }
}
