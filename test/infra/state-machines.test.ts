import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appForDescribe,
  PROJECT_ROOT,
  REAL_CATALOG,
  templateForDescribe,
} from './support/synth.ts';

/** asl-validator ships no types; this is the part of its API the test uses. */
type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const validateAsl = createRequire(import.meta.url)('asl-validator') as AslValidator;

/** JSONata and variables, which the local runner silently ignores: AWS and local would diverge. */
const FORBIDDEN_KEYS = new Set(['QueryLanguage', 'Assign', 'Arguments', 'Output']);

interface AslState {
  readonly Type: string;
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly { ErrorEquals: string[]; JitterStrategy?: string }[];
  readonly Catch?: readonly unknown[];
  readonly Branches?: readonly AslMachine[];
  readonly ItemProcessor?: AslMachine;
  readonly Iterator?: AslMachine;
}
interface AslMachine {
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: Readonly<Record<string, AslState>>;
}

const ASL_DIRECTORY = path.join(PROJECT_ROOT, 'state-machines');
const ASL_FILES = readdirSync(ASL_DIRECTORY)
  .filter((file) => file.endsWith('.asl.json'))
  .sort();

function readAsl(file: string): { text: string; machine: AslMachine } {
  const text = readFileSync(path.join(ASL_DIRECTORY, file), 'utf8');
  return { text, machine: JSON.parse(text) as AslMachine };
}

/** Every Task, at any depth (Parallel branches, Map processors), by state name. */
function tasksOf(machine: AslMachine): [string, AslState][] {
  return Object.entries(machine.States).flatMap(([name, state]): [string, AslState][] => {
    const nested = [
      ...(state.Branches ?? []),
      ...(state.ItemProcessor ? [state.ItemProcessor] : []),
      ...(state.Iterator ? [state.Iterator] : []),
    ].flatMap(tasksOf);
    return state.Type === 'Task' ? [[name, state], ...nested] : nested;
  });
}

/** JSON paths of every forbidden key, anywhere in the document. */
function forbiddenKeysIn(value: unknown, at = '$'): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => forbiddenKeysIn(item, `${at}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(FORBIDDEN_KEYS.has(key) ? [`${at}.${key}`] : []),
    ...forbiddenKeysIn(child, `${at}.${key}`),
  ]);
}

function placeholdersIn(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(/\$\{([^}]+)\}/g), (match) => match[1] ?? ''))];
}

function workflowOf(file: string) {
  return REAL_CATALOG.workflows.find((workflow) => workflow.file === `state-machines/${file}`);
}

describe('state machine files', () => {
  const built = appForDescribe(REAL_CATALOG);
  const template = templateForDescribe(() => built.workflows);

  function substitutionKeys(workflow: string): string[] {
    const machines = template.findResources('AWS::StepFunctions::StateMachine', {
      Properties: { StateMachineName: `slice-snapshots-${workflow}` },
    });
    const [machine] = Object.values(machines);
    if (machine === undefined) throw new Error(`no state machine for workflow ${workflow}`);
    return Object.keys(machine.Properties.DefinitionSubstitutions ?? {});
  }

  it('exist for every catalog workflow', () => {
    const missing = REAL_CATALOG.workflows.filter(
      (workflow) => !existsSync(path.join(PROJECT_ROOT, workflow.file)),
    );

    expect(ASL_FILES.length).toBeGreaterThan(0);
    expect(missing.map((workflow) => workflow.file)).toEqual([]);
  });

  describe.each(ASL_FILES)('%s', (file) => {
    it('belongs to a catalog workflow', () => {
      expect(workflowOf(file)?.name).toBeDefined();
    });

    it('is valid Amazon States Language', () => {
      const { machine } = readAsl(file);

      // The validator annotates the definition it checks, so it gets a copy of its own.
      const result = validateAsl(structuredClone(machine));

      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
    });

    it('uses JSONPath only: no QueryLanguage, Assign, Arguments or Output', () => {
      expect(forbiddenKeysIn(readAsl(file).machine)).toEqual([]);
    });

    it("sets TimeoutSeconds on the machine, matching the catalog's", () => {
      const { machine } = readAsl(file);

      expect(machine.TimeoutSeconds).toBe(workflowOf(file)?.timeoutSeconds);
    });

    it('sets TimeoutSeconds on every Task', () => {
      const untimed = tasksOf(readAsl(file).machine)
        .filter(([, state]) => typeof state.TimeoutSeconds !== 'number')
        .map(([name]) => name);

      expect(untimed).toEqual([]);
    });

    it('retries every Task with jitter and catches its failures', () => {
      const unguarded = tasksOf(readAsl(file).machine)
        .filter(
          ([, state]) =>
            !(state.Retry ?? []).some((retry) => retry.JitterStrategy === 'FULL') ||
            (state.Catch ?? []).length === 0,
        )
        .map(([name]) => name);

      expect(unguarded).toEqual([]);
    });

    it('gets every placeholder it uses from the stack substitutions', () => {
      const workflow = workflowOf(file);
      if (workflow === undefined) throw new Error(`${file} is in no catalog workflow`);
      const supplied = substitutionKeys(workflow.name);

      const unsupplied = placeholdersIn(readAsl(file).text).filter(
        (key) => !supplied.includes(key),
      );

      expect(unsupplied).toEqual([]);
    });
  });
});
