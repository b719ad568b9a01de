import type { z } from 'zod';
import { type FieldError, problem } from './problem.ts';

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter(Boolean).join('.');
}

/** Turns zod issues into one FieldError per bad field, unknown keys each named on their own. */
export function fieldErrors(prefix: string, error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: joinPath(prefix, [...issue.path, key]),
        message: 'is not a known field',
      }));
    }
    return [{ path: joinPath(prefix, issue.path) || prefix || '(root)', message: issue.message }];
  });
}

/** Parses `value` with `schema` or throws a 400 problem naming every bad field. */
export function parseOrProblem<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'path',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(where, result.error);
  const detail =
    errors.length === 1
      ? `Invalid ${where}: ${errors[0]?.path} ${errors[0]?.message}`
      : `Invalid ${where}: ${errors.length} fields are invalid`;
  throw problem('VALIDATION_FAILED', detail, { errors });
}
