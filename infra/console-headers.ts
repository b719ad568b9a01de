/**
 * The console's security headers, the same in CloudFront (the console stack's response headers
 * policy) and in `npm start`, so that the end-to-end tests run the console under the policy it is
 * served with in AWS.
 */

/**
 * A strict Content-Security-Policy: scripts, styles, fonts and images from the console's own
 * origin only (no inline script, no eval), requests only to `connectSources` besides it, no
 * plugins, no framing, no `<base>` rewriting, forms posting nowhere.
 */
export function consoleContentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** What the console's pages may use of the browser: none of the powerful features. */
export const CONSOLE_PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

/** The console's headers besides the policy, as `npm start` sends them (CloudFront sets its own). */
export function consoleSecurityHeaders(
  connectSources: readonly string[] = [],
): Record<string, string> {
  return {
    'content-security-policy': consoleContentSecurityPolicy(connectSources),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'permissions-policy': CONSOLE_PERMISSIONS_POLICY,
    'cross-origin-opener-policy': 'same-origin',
  };
}
