import { describe, expect, it } from 'vitest';
import { nameIssues } from '../../../../core/shared/names.ts';
import { defaultSnapshotName } from '../../../../core/snapshots/snapshot-name.ts';

const AT = new Date('2025-03-01T10:00:00.900Z');

describe('defaultSnapshotName', () => {
  it('is the slice name and the unix seconds', () => {
    expect(defaultSnapshotName('web-1', AT)).toBe('web-1-1740823200');
  });

  it('shortens a slice name too long for the suffix, so the name stays valid', () => {
    const name = defaultSnapshotName('é'.repeat(255), AT);

    expect(name.endsWith('-1740823200')).toBe(true);
    expect([...name]).toHaveLength(255);
    expect(nameIssues(name)).toEqual([]);
  });
});
