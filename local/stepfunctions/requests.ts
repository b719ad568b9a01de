import { ServiceError } from '../aws-json-error.ts';

/** A request body of the JSON protocol. */
export type Request = Record<string, unknown>;

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', `1 validation error detected: ${message}`);
}

export function requireString(request: Request, field: string): string {
  const value = request[field];
  if (typeof value !== 'string') {
    throw validation(
      `Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

interface OptionalTypes {
  string: string;
  boolean: boolean;
}

/** The field's value when it has one, which must be of `type`; undefined when absent or null. */
function optional<K extends keyof OptionalTypes>(
  request: Request,
  field: string,
  type: K,
): OptionalTypes[K] | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) {
    throw validation(`Value at '${field}' failed to satisfy constraint: Member must be a ${type}`);
  }
  return value as OptionalTypes[K];
}

export function optionalString(request: Request, field: string): string | undefined {
  return optional(request, field, 'string');
}

export function optionalBoolean(request: Request, field: string): boolean | undefined {
  return optional(request, field, 'boolean');
}

const NAME_FORBIDDEN = new Set([...' <>{}[]?*"#%\\^|~`$&,;:/']);

function isControlOrSpace(code: number): boolean {
  return code <= 0x20 || (code >= 0x7f && code <= 0x9f) || /\s/u.test(String.fromCodePoint(code));
}

/** AWS's rule for state machine and execution names. */
export function requireValidName(name: string, what: string): string {
  const valid =
    name.length >= 1 &&
    name.length <= 80 &&
    [...name].every((char) => {
      const code = char.codePointAt(0) ?? 0;
      return !NAME_FORBIDDEN.has(char) && !isControlOrSpace(code);
    });
  if (!valid)
    throw new ServiceError('InvalidName', `Invalid Name: '${name}' is not a valid ${what}`);
  return name;
}

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/**
 * One page of a sorted list. The token names the last item returned, so items added meanwhile
 * (new executions, new history events) neither repeat nor go missing.
 */
export function paginate<T>(
  items: readonly T[],
  request: Request,
  keyOf: (item: T) => string | number,
  isAfter: (item: T, key: string | number) => boolean,
): Page<T> {
  const maxResults = request.maxResults ?? 0;
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 0) {
    throw validation(
      `Value at 'maxResults' failed to satisfy constraint: Member must be an integer`,
    );
  }
  if (maxResults > 1000) {
    throw validation(
      `Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  }
  const limit = maxResults === 0 ? 100 : maxResults;
  const token = optionalString(request, 'nextToken');
  let start = 0;
  if (token !== undefined) {
    const key = decodeToken(token);
    start = items.findIndex((item) => isAfter(item, key));
    if (start === -1) start = items.length;
  }
  const page = items.slice(start, start + limit);
  const last = page.at(-1);
  const more = start + limit < items.length && last !== undefined;
  return { items: page, nextToken: more ? encodeToken(keyOf(last)) : undefined };
}

function encodeToken(key: string | number): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

function decodeToken(token: string): string | number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'after' in parsed) {
      const key = parsed.after;
      if (typeof key === 'string' || typeof key === 'number') return key;
    }
  } catch {
    // answered below
  }
  throw new ServiceError('InvalidToken', `Invalid Token: '${token}'`);
}
