import * as path from 'node:path';
import { FUNCTIONS, RULES, SCHEDULES, WORKFLOWS } from './catalog.ts';
import { createSliceSnapshotsApp } from './slice-snapshots-app.ts';

const { app } = createSliceSnapshotsApp({
  catalog: { functions: FUNCTIONS, workflows: WORKFLOWS, schedules: SCHEDULES, rules: RULES },
  projectRoot: path.resolve(import.meta.dirname, '..'),
});
app.synth();
