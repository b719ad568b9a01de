import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { apiLoadSuite } from './api-load.ts';
import type { BenchRow, BenchSuite } from './bench-row.ts';
import { billingSuite } from './billing.ts';
import { hypervisorSuite } from './hypervisor.ts';
import { imagePipelineSuite } from './image-pipeline.ts';
import { snapshotCopySuite } from './snapshot-copy.ts';
import { snapshotWorkflowSuite } from './snapshot-workflow.ts';
import { storageMarkSuite } from './storage-mark.ts';

/** Every benchmark suite; a new one (billing, workflows) adds a module and a line here. */
const SUITES: readonly BenchSuite[] = [
  imagePipelineSuite,
  billingSuite,
  snapshotWorkflowSuite,
  hypervisorSuite,
  apiLoadSuite,
  storageMarkSuite,
  snapshotCopySuite,
];

function cell(value: number | undefined, digits: number): string {
  return value === undefined ? '' : value.toFixed(digits);
}

function table(rows: readonly BenchRow[]): string {
  const header = ['suite', 'measure', 's', 'MB/s', '× 2 GB/min', 'target', 'ratio', 'ok'];
  const body = rows.map((row) => [
    row.suite,
    row.name,
    cell(row.seconds, 2),
    cell(row.mbPerSecond, 0),
    cell(row.vsDocs, 1),
    row.target ?? '',
    cell(row.ratio, 2),
    row.pass === undefined ? '' : row.pass ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...body.map((line) => line[i]!.length)),
  );
  const format = (line: readonly string[]) =>
    `| ${line.map((text, i) => (i >= 2 && i !== 5 ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))).join(' | ')} |`;
  return [
    format(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...body.map(format),
  ].join('\n');
}

const SUITE_FAILED = 'suite failed';
const only = process.argv.slice(2);
const rows: BenchRow[] = [];
const startedAt = new Date().toISOString();
for (const suite of SUITES) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  process.stderr.write(`bench: ${suite.name}\n`);
  const suiteStarted = performance.now();
  try {
    rows.push(...(await suite.run((line) => process.stderr.write(`  ${line}\n`))));
  } catch (error) {
    // One suite's failure is a result too: the rows the others measured are still printed and saved.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `  ${suite.name} failed: ${error instanceof Error ? error.stack : message}\n`,
    );
    rows.push({
      suite: suite.name,
      name: SUITE_FAILED,
      seconds: (performance.now() - suiteStarted) / 1000,
      pass: false,
      note: message.split('\n')[0] ?? message,
    });
  }
}
process.stdout.write(`${table(rows)}\n`);
for (const row of rows.filter((item) => item.note))
  process.stdout.write(`- ${row.name}: ${row.note}\n`);
const resultsDir = join(import.meta.dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'latest.json'),
  `${JSON.stringify(
    {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model ?? 'unknown',
        loadAverage: loadavg(),
        node: process.version,
      },
      rows,
    },
    null,
    2,
  )}\n`,
);
const failed = rows.filter((row) => row.pass === false);
process.stdout.write(
  `${rows.filter((row) => row.pass).length} targets met, ${failed.length} missed; JSON in bench/results/latest.json\n`,
);
// A suite that could not finish makes the run fail; a missed target is a finding, not a failure.
if (rows.some((row) => row.name === SUITE_FAILED)) process.exitCode = 1;
