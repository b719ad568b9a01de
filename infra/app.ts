import * as path from 'node:path';
import { ensureConsoleBuilt } from '../console/build.ts';
import { FUNCTIONS, RULES, SCHEDULES, WORKFLOWS } from './catalog.ts';
import { createSliceSnapshotsApp } from './slice-snapshots-app.ts';

// The console stack deploys the built console: built here (a few seconds) unless console/dist
// is of the current sources already, so that synth works on a fresh clone, offline.
const built = await ensureConsoleBuilt();

const { app } = createSliceSnapshotsApp({
  catalog: { functions: FUNCTIONS, workflows: WORKFLOWS, schedules: SCHEDULES, rules: RULES },
  projectRoot: path.resolve(import.meta.dirname, '..'),
  consoleAssets: built.directory,
});
app.synth();
