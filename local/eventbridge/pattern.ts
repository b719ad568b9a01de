/**
 * EventBridge event patterns, with the semantics AWS documents (and its Event Ruler implements):
 * exact values (a list is an OR), nested objects, arrays in the event (any element), `prefix`,
 * `suffix`, `equals-ignore-case`, `anything-but`, `numeric`, `exists`, `wildcard`, `cidr` (IPv4)
 * and `$or`. A pattern is compiled once (which validates it) and then matched against events.
 */

/** A pattern AWS would refuse; the message is what follows "Event pattern is not valid. Reason: ". */
export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventPatternError';
  }
}

/** A validated pattern, ready to match events. */
export interface CompiledPattern {
  matches(event: unknown): boolean;
}

type ValueTest = (value: unknown) => boolean;

type LeafMatcher = { kind: 'value'; test: ValueTest } | { kind: 'exists'; present: boolean };

type FieldNode =
  | { kind: 'leaf'; key: string; path: readonly string[]; matchers: LeafMatcher[] }
  | { kind: 'object'; key: string; node: ObjectNode };

interface ObjectNode {
  fields: FieldNode[];
  /** Each `$or` at this level: at least one branch must match. */
  ors: ObjectNode[][];
}

const OR = '$or';
/** Operator names that cannot be field names inside `$or` (Event Ruler's reserved names). */
const RESERVED_IN_OR = new Set([
  'exact',
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'cidr',
  'exists',
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new InvalidEventPatternError(message);
}

/** Parses a pattern given as JSON text (as PutRule receives it) and compiles it. */
export function parseEventPattern(text: string): CompiledPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`Malformed JSON: ${(error as Error).message}`);
  }
  return compilePattern(parsed);
}

/** Validates a pattern and compiles it; throws {@link InvalidEventPatternError} when AWS would refuse it. */
export function compilePattern(pattern: unknown): CompiledPattern {
  if (!isPlainObject(pattern)) fail('Filter is not an object');
  const root = compileObject(pattern, [], false);
  return { matches: (event) => matchObject(root, event, event) };
}

/** True when the event matches the pattern; an invalid pattern throws {@link InvalidEventPatternError}. */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern).matches(event);
}

function compileObject(
  pattern: Record<string, unknown>,
  path: readonly string[],
  insideOr: boolean,
): ObjectNode {
  const entries = Object.entries(pattern);
  if (entries.length === 0) fail('Empty objects are not allowed');
  const node: ObjectNode = { fields: [], ors: [] };
  for (const [key, value] of entries) {
    if (key === OR) {
      node.ors.push(compileOr(value, path));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      fail(`${key} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
    }
    if (Array.isArray(value)) {
      node.fields.push({ kind: 'leaf', key, path: [...path, key], matchers: compileValues(value) });
    } else if (isPlainObject(value)) {
      node.fields.push({
        kind: 'object',
        key,
        node: compileObject(value, [...path, key], insideOr),
      });
    } else {
      fail(`"${key}" must be an object or an array`);
    }
  }
  return node;
}

function compileOr(value: unknown, path: readonly string[]): ObjectNode[] {
  if (!Array.isArray(value)) fail(`It must be an Array followed with ${OR}.`);
  const branches = value.map((branch) => {
    if (!isPlainObject(branch)) fail(`Only JSON object is allowed in array of ${OR} relationship.`);
    return compileObject(branch, path, true);
  });
  if (branches.length < 2) fail(`There must have at least 2 Objects in ${OR} relationship.`);
  return branches;
}

function compileValues(values: unknown[]): LeafMatcher[] {
  if (values.length === 0) fail('Empty arrays are not allowed');
  return values.map((value): LeafMatcher => {
    if (isPlainObject(value)) return compileOperator(value);
    if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      value === null
    ) {
      return { kind: 'value', test: (candidate) => candidate === value };
    }
    return fail('Match value must be String, number, true, false, or null');
  });
}

function compileOperator(expression: Record<string, unknown>): LeafMatcher {
  const keys = Object.keys(expression);
  if (keys.length === 0) fail('Match expression name not found');
  if (keys.length > 1) fail('Only one key allowed in match expression');
  const operator = keys[0] as string;
  const operand = expression[operator];
  switch (operator) {
    case 'prefix':
      return valueMatcher(compileAffix(operand, 'prefix'));
    case 'suffix':
      return valueMatcher(compileAffix(operand, 'suffix'));
    case 'equals-ignore-case': {
      const expected = requireString(operand, 'equals-ignore-case match pattern must be a string');
      return valueMatcher(
        (value) => typeof value === 'string' && equalsIgnoreCase(value, expected),
      );
    }
    case 'wildcard': {
      const regex = wildcardRegex(
        requireString(operand, 'wildcard match pattern must be a string'),
      );
      return valueMatcher((value) => typeof value === 'string' && regex.test(value));
    }
    case 'anything-but':
      return valueMatcher(compileAnythingBut(operand));
    case 'numeric':
      return valueMatcher(compileNumeric(operand));
    case 'exists':
      if (typeof operand !== 'boolean') fail('exists match pattern must be either true or false.');
      return { kind: 'exists', present: operand };
    case 'cidr':
      return valueMatcher(compileCidr(operand));
    default:
      return fail(`Unrecognized match type ${operator}`);
  }
}

function valueMatcher(test: ValueTest): LeafMatcher {
  return { kind: 'value', test };
}

function requireString(value: unknown, message: string): string {
  if (typeof value !== 'string') fail(message);
  return value;
}

function equalsIgnoreCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `prefix`/`suffix`, either a string or `{ "equals-ignore-case": string }`. */
function compileAffix(operand: unknown, kind: 'prefix' | 'suffix'): ValueTest {
  let affix: string;
  let ignoreCase = false;
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      fail(`Unsupported ${kind} pattern: ${keys.join(', ')}`);
    }
    affix = requireString(operand['equals-ignore-case'], `${kind} match pattern must be a string`);
    ignoreCase = true;
  } else {
    affix = requireString(operand, `${kind} match pattern must be a string`);
  }
  const wanted = ignoreCase ? affix.toLowerCase() : affix;
  return (value) => {
    if (typeof value !== 'string') return false;
    const candidate = ignoreCase ? value.toLowerCase() : value;
    return kind === 'prefix' ? candidate.startsWith(wanted) : candidate.endsWith(wanted);
  };
}

/**
 * Wildcards: `*` matches any run of characters, `\*` a literal asterisk, `\\` a backslash. Two
 * consecutive wildcards and any other escape are refused, as in AWS.
 */
function wildcardRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern.charAt(i);
    if (char === '\\') {
      const next = pattern.charAt(i + 1);
      if (next !== '*' && next !== '\\') {
        fail(`Invalid escape in wildcard pattern: ${pattern}`);
      }
      source += `\\${next}`;
      i += 1;
    } else if (char === '*') {
      if (pattern.charAt(i + 1) === '*') {
        fail(`Consecutive wildcard characters are not allowed: ${pattern}`);
      }
      source += '[\\s\\S]*';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * `anything-but`: a string, a number, a list of only strings or only numbers, or an object with
 * `prefix`, `suffix`, `wildcard` or `equals-ignore-case`. It needs a value in the event: a missing
 * field matches nothing.
 */
function compileAnythingBut(operand: unknown): ValueTest {
  if (typeof operand === 'string' || typeof operand === 'number') {
    return (value) => value !== undefined && value !== operand;
  }
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number');
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      fail(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      );
    }
    const excluded = new Set<unknown>(operand);
    return (value) => value !== undefined && !excluded.has(value);
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1) fail('Only one key allowed in match expression');
    const kind = keys[0] as string;
    const strings = stringList(operand[kind], kind);
    let excludes: (value: string) => boolean;
    switch (kind) {
      case 'prefix':
      case 'suffix':
        if (strings.some((item) => item.length === 0)) fail('Null prefix/suffix not allowed');
        excludes = (value) =>
          strings.some((item) =>
            kind === 'prefix' ? value.startsWith(item) : value.endsWith(item),
          );
        break;
      case 'equals-ignore-case':
        excludes = (value) => strings.some((item) => equalsIgnoreCase(value, item));
        break;
      case 'wildcard': {
        const regexes = strings.map(wildcardRegex);
        excludes = (value) => regexes.some((regex) => regex.test(value));
        break;
      }
      default:
        return fail(`Unsupported anything-but pattern: ${kind}`);
    }
    // Only strings can start with, end with or equal a string: any other value is "anything but".
    return (value) => value !== undefined && (typeof value !== 'string' || !excludes(value));
  }
  return fail('Value of anything-but must be an array or single string/number value.');
}

function stringList(operand: unknown, kind: string): string[] {
  const list = Array.isArray(operand) ? operand : [operand];
  if (list.length === 0 || !list.every((item) => typeof item === 'string')) {
    fail(`anything-but ${kind} match pattern must be a string or a list of strings`);
  }
  return list as string[];
}

/**
 * Compiles `numeric`, one of `["=", n]`, `["<" | "<=", n]`, or `[">" | ">=", n]` optionally
 * followed by an upper bound `"<" | "<=", m`. The lower bound comes first, as in Event Ruler's
 * grammar.
 */
function compileNumeric(operand: unknown): ValueTest {
  if (!Array.isArray(operand)) fail('Value of numeric must be an array.');
  const [first, firstValue, second, secondValue, ...rest] = operand as unknown[];
  const number = (value: unknown, operator: unknown): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(`Value of ${String(operator)} must be numeric`);
    }
    return value;
  };
  if (rest.length > 0) fail('Too many terms in numeric range expression');
  if (typeof first !== 'string') fail(`Invalid member in numeric match: ${String(first)}`);
  const a = number(firstValue, first);
  const upper = (operator: unknown, bound: number): ValueTest => {
    if (operator === '<') return (value) => typeof value === 'number' && value < bound;
    if (operator === '<=') return (value) => typeof value === 'number' && value <= bound;
    return fail(`Bad numeric range operator: ${String(operator)}`);
  };
  switch (first) {
    case '=':
    case '<':
    case '<=':
      if (second !== undefined) fail('Too many elements in numeric expression');
      return first === '=' ? (value) => value === a : upper(first, a);
    case '>':
    case '>=': {
      const lower: ValueTest =
        first === '>'
          ? (value) => typeof value === 'number' && value > a
          : (value) => typeof value === 'number' && value >= a;
      if (second === undefined) return lower;
      const top = upper(second, number(secondValue, second));
      return (value) => lower(value) && top(value);
    }
    default:
      return fail(`Unrecognized numeric range operator: ${first}`);
  }
}

function compileCidr(operand: unknown): ValueTest {
  const text = requireString(operand, 'cidr match pattern must be a string');
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text);
  const base = match ? ipv4ToNumber(match[1] as string) : undefined;
  const bits = match ? Number(match[2]) : Number.NaN;
  if (base === undefined || !(bits >= 0 && bits <= 32)) {
    fail(`Nonstandard IP address or CIDR (the local endpoint supports IPv4 only): ${text}`);
  }
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (value) => {
    if (typeof value !== 'string') return false;
    const address = ipv4ToNumber(value);
    return address !== undefined && (address & mask) >>> 0 === (base & mask) >>> 0;
  };
}

function ipv4ToNumber(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let result = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    result = result * 256 + octet;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Matching

/**
 * Fields of one object node must all match, from the same array element wherever the event has
 * arrays of objects (AWS's "array consistency").
 */
function matchObject(node: ObjectNode, value: unknown, root: unknown): boolean {
  for (const field of node.fields) {
    if (field.kind === 'leaf') {
      if (!matchLeaf(field, leafValues(value, field.key), root)) return false;
    } else {
      const children = objectsIn(isPlainObject(value) ? value[field.key] : undefined);
      // Absent or non-object children still go through, so that `exists: false` below can match.
      const candidates = children.length > 0 ? children : [undefined];
      if (!candidates.some((child) => matchObject(field.node, child, root))) return false;
    }
  }
  return node.ors.every((branches) => branches.some((branch) => matchObject(branch, value, root)));
}

function matchLeaf(
  field: Extract<FieldNode, { kind: 'leaf' }>,
  values: unknown[],
  root: unknown,
): boolean {
  return field.matchers.some((matcher) => {
    if (matcher.kind === 'exists') {
      // Absence is judged over the whole event: no leaf at this path anywhere, in any array element.
      return matcher.present ? values.length > 0 : leafValuesAtPath(root, field.path).length === 0;
    }
    return values.some(matcher.test);
  });
}

/** The leaf values of `value[key]`: arrays are flattened; objects are not leaves. */
function leafValues(value: unknown, key: string): unknown[] {
  if (!isPlainObject(value) || !Object.hasOwn(value, key)) return [];
  const field = value[key];
  if (Array.isArray(field)) {
    return field.flat(Number.POSITIVE_INFINITY).filter((item) => !isPlainObject(item));
  }
  return isPlainObject(field) ? [] : [field];
}

/** The objects a value holds: itself, or the objects of a (nested) array. */
function objectsIn(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flat(Number.POSITIVE_INFINITY).filter(isPlainObject);
  return isPlainObject(value) ? [value] : [];
}

function leafValuesAtPath(root: unknown, path: readonly string[]): unknown[] {
  let nodes: unknown[] = [root];
  for (const key of path.slice(0, -1)) {
    nodes = nodes.flatMap((node) => objectsIn(isPlainObject(node) ? node[key] : undefined));
  }
  const last = path.at(-1);
  return last === undefined ? [] : nodes.flatMap((node) => leafValues(node, last));
}
