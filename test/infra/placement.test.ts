import { describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../infra/catalog.ts';
import { type CatalogLists, placeFunctions } from '../../infra/placement.ts';
import { PROBE_CATALOG } from './fixtures/probe-catalog.ts';
import { REAL_CATALOG } from './support/synth.ts';

const names = (specs: readonly FunctionSpec[]) => specs.map((spec) => spec.name);

describe('placeFunctions', () => {
  it('places routed, invoked and scheduled functions in their stacks', () => {
    const placement = placeFunctions(PROBE_CATALOG);

    expect(names(placement.api)).toEqual([
      'api-reader',
      'api-pager',
      'api-starter',
      'api-report-agent-callback',
      'api-create-slice',
    ]);
    expect(names(placement.workflows)).toEqual([
      'workflow-uploader',
      'workflow-cleaner',
      'workflow-idle',
    ]);
    expect(names(placement.scheduled)).toEqual(['billing-run']);
  });

  it('leaves a function that a schedule reaches only through a workflow beside the workflow', () => {
    const placement = placeFunctions(REAL_CATALOG);

    expect(names(placement.workflows)).toEqual(
      expect.arrayContaining([
        'workflow-plan-billing-run',
        'workflow-run-billing',
        'workflow-summarize-billing-run',
      ]),
    );
    expect(names(placement.scheduled)).toEqual([
      'sweep-operations',
      'verify-stale-snapshots',
      'purge-expired-snapshots',
      'request-storage-marks',
    ]);
  });

  it('places the function a rule on the workflows invokes beside the workflows', () => {
    const placement = placeFunctions(REAL_CATALOG);

    expect(names(placement.workflows)).toContain('reconcile-operation');
  });

  it('places every function of the real catalog', () => {
    const placement = placeFunctions(REAL_CATALOG);

    expect(
      [...placement.api, ...placement.workflows, ...placement.scheduled].map((spec) => spec.name),
    ).toHaveLength(REAL_CATALOG.functions.length);
  });

  it('refuses a function with no home', () => {
    const catalog: CatalogLists = {
      ...PROBE_CATALOG,
      functions: [...PROBE_CATALOG.functions, { name: 'orphan', entry: 'x.ts', access: {} }],
    };

    expect(() => placeFunctions(catalog)).toThrow(/orphan must have routes/);
  });

  it('refuses a function with routes that a workflow also invokes', () => {
    const catalog: CatalogLists = {
      ...PROBE_CATALOG,
      workflows: [
        { name: 'mixed', file: 'x.asl.json', invokes: ['api-reader'], timeoutSeconds: 60 },
      ],
    };

    expect(() => placeFunctions(catalog)).toThrow(/api-reader .*\(it has 2\)/);
  });

  it('names every dangling reference at once', () => {
    const catalog: CatalogLists = {
      functions: [
        {
          name: 'api-a',
          entry: 'a.ts',
          routes: [{ method: 'GET', path: '/a', auth: 'jwt' }],
          access: { startsWorkflows: ['nowhere'] },
        },
      ],
      workflows: [{ name: 'w', file: 'w.asl.json', invokes: ['ghost'], timeoutSeconds: 60 }],
      schedules: [
        { name: 's', expression: 'rate(1 day)', target: { function: 'phantom' } },
        { name: 't', expression: 'rate(1 day)', target: { workflow: 'spectre' } },
      ],
    };

    const error = (() => {
      try {
        placeFunctions(catalog);
        return undefined;
      } catch (caught) {
        return caught as Error;
      }
    })();

    expect(error?.message).toMatch(/workflow w invokes unknown ghost/);
    expect(error?.message).toMatch(/schedule s targets unknown phantom/);
    expect(error?.message).toMatch(/schedule t targets unknown spectre/);
    expect(error?.message).toMatch(/api-a starts unknown workflow nowhere/);
  });

  it('refuses two functions of one name', () => {
    const [first] = PROBE_CATALOG.functions;
    if (first === undefined) throw new Error('empty probe catalog');
    const catalog: CatalogLists = {
      ...PROBE_CATALOG,
      functions: [...PROBE_CATALOG.functions, first],
    };

    expect(() => placeFunctions(catalog)).toThrow(/names are not unique/);
  });
});
