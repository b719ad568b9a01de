import { type InputIssue, InvalidInputError } from './domain-error.ts';

/** Longest name the contract accepts, in characters (code points) after trimming. */
export const MAX_NAME_LENGTH = 255;

// Control characters, lone surrogates and line/paragraph separators are not printable.
const NOT_PRINTABLE = /[\p{Cc}\p{Cs}\u2028\u2029]/u;

/** What is wrong with a user-given name (1–255 printable characters once trimmed), if anything. */
export function nameIssues(raw: unknown, path = 'name'): InputIssue[] {
  if (typeof raw !== 'string') return [{ path, message: 'must be a string' }];
  const name = raw.trim();
  const length = [...name].length;
  if (length === 0) return [{ path, message: 'must not be empty' }];
  if (length > MAX_NAME_LENGTH) {
    return [{ path, message: `must be at most ${MAX_NAME_LENGTH} characters (got ${length})` }];
  }
  if (NOT_PRINTABLE.test(name))
    return [{ path, message: 'must contain printable characters only' }];
  return [];
}

/** A user-given name, trimmed; InvalidInputError naming `path` when it breaks the rule. */
export function parseName(raw: string, path = 'name'): string {
  const issues = nameIssues(raw, path);
  if (issues.length > 0) throw new InvalidInputError(issues);
  return raw.trim();
}
