import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleStore } from '../../../../local/eventbridge/rule-store.ts';
import { tempDirPerTest } from '../../../support/temp-dir.ts';

const dir = tempDirPerTest('rule-store-');

describe('RuleStore', () => {
  it('saves rules and loads them back', async () => {
    const file = join(dir.path, 'nested', 'rules.json');
    const store = await RuleStore.load(file);
    store.put({
      Name: 'r1',
      EventBusName: 'default',
      EventPattern: '{"source":["a"]}',
      State: 'ENABLED',
      Targets: [{ Id: 't', Arn: 'https://example.test/hook' }],
    });

    await store.save();
    const reloaded = await RuleStore.load(file);

    expect(reloaded.list('default')).toEqual(store.list('default'));
    expect(reloaded.list('other')).toEqual([]);
  });

  it('refuses to start from a rules file that is not JSON, naming the file', async () => {
    const file = join(dir.path, 'rules.json');
    await writeFile(file, '{"rules": [');

    await expect(RuleStore.load(file)).rejects.toThrow(`${file} is not valid JSON`);
  });

  it('refuses a stored rule whose pattern is invalid, naming the rule', async () => {
    const file = join(dir.path, 'rules.json');
    const rule = { Name: 'r1', EventBusName: 'default', EventPattern: '{"source":"a"}' };
    await writeFile(
      file,
      JSON.stringify({ version: 1, rules: [{ ...rule, State: 'ENABLED', Targets: [] }] }),
    );

    await expect(RuleStore.load(file)).rejects.toThrow(/rule r1 has an invalid event pattern/);
  });
});
