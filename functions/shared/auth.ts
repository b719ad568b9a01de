import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { problem } from './problem.ts';

/** Account IDs: what the identity provider puts in the `account` claim. */
const ACCOUNT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The caller's account, from the verified token only (never the body or path). The JWT authorizer
 * has already checked signature, issuer, audience and expiry; a token without a well-formed
 * account claim is still refused, as no resource can belong to it.
 */
export function accountOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): string {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const account = claims['custom:account'] ?? claims.account;
  if (typeof account !== 'string' || !ACCOUNT_PATTERN.test(account)) {
    throw problem('UNAUTHORIZED', 'The token carries no valid account claim');
  }
  return account;
}
