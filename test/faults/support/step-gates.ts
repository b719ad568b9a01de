/**
 * Gates on the Lambda handlers of an `npm start`, for the fault campaign. Loaded into its processes
 * with `NODE_OPTIONS=--import=<this file>` and FAULT_GATES_FILE naming a JSON file (GateSettings),
 * it wraps each `functions/<name>.ts` handler module as it is loaded; each invocation then reads the
 * file and, for the first rule whose function and `when` match its event:
 * - `hold`: waits before the handler runs, while the rule is listed (its step stays under way, doing
 *   nothing, until the cloud is killed);
 * - `holdAfter`: runs the handler, then waits while the rule is listed (the step has done its work
 *   but not answered: a run after a restart is a second run);
 * - `fail`: throws an error of that name instead of running, once per rule `id`.
 * Without FAULT_GATES_FILE it changes nothing. Nothing of the product knows of it.
 */
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A rule's target: a function, and values its event must hold (dotted paths, e.g. `command.type`). */
export interface GateRule {
  readonly function: string;
  readonly when?: Readonly<Record<string, string>>;
}

export interface GateSettings {
  readonly hold?: readonly GateRule[];
  readonly holdAfter?: readonly GateRule[];
  readonly fail?: readonly (GateRule & { readonly error: string; readonly id: string })[];
}

const FUNCTIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../functions');
const UNGATED = 'ungated';
const POLL_MS = 25;
const failedOnce = new Set<string>();

function settings(): GateSettings {
  const file = process.env.FAULT_GATES_FILE;
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as GateSettings;
  } catch {
    return {};
  }
}

function valueAt(event: unknown, path: string): unknown {
  let value = event;
  for (const key of path.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return value;
}

function matches(rule: GateRule, name: string, event: unknown): boolean {
  return (
    rule.function === name &&
    Object.entries(rule.when ?? {}).every(([path, value]) => valueAt(event, path) === value)
  );
}

async function waitWhile(listed: () => boolean): Promise<void> {
  while (listed()) await new Promise((done) => setTimeout(done, POLL_MS));
}

/** Runs `handler` through the gates of the function `name`. */
export async function throughGates(
  name: string,
  event: unknown,
  handler: () => Promise<unknown>,
): Promise<unknown> {
  const failure = settings().fail?.find(
    (rule) => matches(rule, name, event) && !failedOnce.has(rule.id),
  );
  if (failure) {
    failedOnce.add(failure.id);
    throw Object.assign(new Error(`${name} failed on purpose (${failure.id})`), {
      name: failure.error,
    });
  }
  await waitWhile(() => settings().hold?.some((rule) => matches(rule, name, event)) ?? false);
  const result = await handler();
  await waitWhile(() => settings().holdAfter?.some((rule) => matches(rule, name, event)) ?? false);
  return result;
}

if (process.env.FAULT_GATES_FILE) {
  const gates = import.meta.url;
  registerHooks({
    load(url, context, nextLoad) {
      const parsed = new URL(url);
      if (parsed.protocol !== 'file:' || parsed.searchParams.has(UNGATED)) {
        return nextLoad(url, context);
      }
      const path = fileURLToPath(parsed);
      const name = /^([a-z0-9-]+)\.ts$/.exec(path.slice(FUNCTIONS_DIR.length + 1))?.[1];
      if (!path.startsWith(`${FUNCTIONS_DIR}/`) || name === undefined) {
        return nextLoad(url, context);
      }
      const real = `${pathToFileURL(path).href}?${UNGATED}`;
      return {
        format: 'module',
        shortCircuit: true,
        source: [
          `import { handler as real } from ${JSON.stringify(real)};`,
          `import { throughGates } from ${JSON.stringify(gates)};`,
          'export const handler = (event, context) =>',
          `  throughGates(${JSON.stringify(name)}, event, () => real(event, context));`,
        ].join('\n'),
      };
    },
  });
}
