import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_ERROR_CODES } from '../../../../core/agents/agent-error-codes.ts';
import {
  ERROR_CODES,
  ERROR_STATUS,
  FAILURE_CODES,
  OUTCOME_CODES,
  statusOf,
} from '../../../../core/shared/error-codes.ts';

const README = readFileSync(path.resolve(import.meta.dirname, '../../../../README.md'), 'utf8');

/** The rows of the README's error table: `| \`CODE\` | status | meaning | what to do |`. */
function readmeErrorTable(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const match of README.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| (\d{3}) \|/gm)) {
    rows.set(match[1] as string, Number(match[2]));
  }
  return rows;
}

describe('error codes', () => {
  it('are upper snake case, each listed once among errors and outcomes', () => {
    expect(new Set(FAILURE_CODES).size).toBe(ERROR_CODES.length + OUTCOME_CODES.length);
    for (const code of FAILURE_CODES) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });

  it('map to an HTTP error status each', () => {
    for (const code of ERROR_CODES) {
      expect(statusOf(code)).toBeGreaterThanOrEqual(400);
      expect(statusOf(code)).toBeLessThan(600);
    }
  });

  it('tell a busy slice from an illegal transition, both 409', () => {
    expect(statusOf('SLICE_BUSY')).toBe(409);
    expect(statusOf('ILLEGAL_TRANSITION')).toBe(409);
  });

  it('give every agent error name a code of the table', () => {
    for (const code of Object.values(AGENT_ERROR_CODES)) expect(ERROR_STATUS).toHaveProperty(code);
    expect(new Set(Object.values(AGENT_ERROR_CODES)).size).toBe(
      Object.keys(AGENT_ERROR_CODES).length,
    );
  });

  it("are each in the README's error tables, errors with the same status", () => {
    const documented = readmeErrorTable();
    const outcomes = [...README.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| [^\d|]/gm)].map(
      (match) => match[1],
    );

    expect([...documented.keys()].sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) expect(documented.get(code), code).toBe(statusOf(code));
    expect(outcomes.sort()).toEqual([...OUTCOME_CODES].sort());
  });
});
