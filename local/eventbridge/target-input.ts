/**
 * What a target receives: the whole event, a constant (`Input`), or the part of the event an
 * `InputPath` selects. `InputPath` supports the JSONPath subset rules use in practice: `$`,
 * `.name`, `['name']` and `[index]`.
 */

export interface TargetInputSpec {
  Input?: string;
  InputPath?: string;
}

export type TargetInput = { ok: true; payload: unknown } | { ok: false; error: string };

type Step = string | number;

/** The steps of an InputPath, or undefined when it is not a JSONPath this endpoint supports. */
export function parseInputPath(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  const step = /\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/y;
  let position = 1;
  while (position < path.length) {
    step.lastIndex = position;
    const match = step.exec(path);
    if (!match) return undefined;
    const [, dotted, singleQuoted, doubleQuoted, index] = match;
    const name = dotted ?? singleQuoted ?? doubleQuoted;
    steps.push(name !== undefined ? name.replace(/\\(.)/g, '$1') : Number(index));
    position = step.lastIndex;
  }
  return steps;
}

/** Why a target's input settings are invalid, or undefined when they are fine. */
export function validateTargetInput(spec: TargetInputSpec): string | undefined {
  if (spec.Input !== undefined && spec.InputPath !== undefined) {
    return 'Only one of Input, InputPath, or InputTransformer must be provided.';
  }
  if (spec.Input !== undefined) {
    try {
      JSON.parse(spec.Input);
    } catch {
      return 'Input is not valid JSON text.';
    }
  }
  if (spec.InputPath !== undefined && parseInputPath(spec.InputPath) === undefined) {
    return `InputPath is not a supported JSONPath: ${spec.InputPath}`;
  }
  return undefined;
}

/** The payload a target receives for an event. */
export function targetInput(event: unknown, spec: TargetInputSpec): TargetInput {
  if (spec.Input !== undefined) return { ok: true, payload: JSON.parse(spec.Input) };
  if (spec.InputPath === undefined) return { ok: true, payload: event };
  const steps = parseInputPath(spec.InputPath);
  if (!steps)
    return { ok: false, error: `InputPath is not a supported JSONPath: ${spec.InputPath}` };
  let current: unknown = event;
  for (const step of steps) {
    if (typeof step === 'number' ? !Array.isArray(current) : !isRecord(current)) {
      return { ok: false, error: `InputPath ${spec.InputPath} selects nothing in the event` };
    }
    current = (current as Record<string | number, unknown>)[step];
    if (current === undefined) {
      return { ok: false, error: `InputPath ${spec.InputPath} selects nothing in the event` };
    }
  }
  return { ok: true, payload: current };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
