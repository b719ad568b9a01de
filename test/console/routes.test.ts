import { describe, expect, it } from 'vitest';
import { matchRoute, ROUTES, SECTIONS } from '../../console/src/app/routes.ts';

describe('console routes', () => {
  it('match addresses with their parameters, and nothing else', () => {
    expect(matchRoute('/operations/op_1')?.params).toEqual({ id: 'op_1' });
    expect(matchRoute('/operations/op_1')?.route.title).toBe('Operation');
    expect(matchRoute('/slices/create')?.route.title).toBe('Create slice');
    expect(matchRoute('/snapshots/')?.route.title).toBe('Snapshots');
    expect(matchRoute('/snapshots/snp_1')?.route.title).toBe('Snapshot');
    expect(matchRoute('/snapshots/snp_1')?.params).toEqual({ id: 'snp_1' });
    expect(matchRoute('/nowhere')).toBeUndefined();
    expect(matchRoute('/operations/')?.route.title).toBe('Operations');
    expect(matchRoute('/policies/create')?.route.title).toBe('Create policy');
    expect(matchRoute('/policies/pol_1')?.params).toEqual({ id: 'pol_1' });
    expect(matchRoute('/policies/pol_1/edit')?.route.title).toBe('Edit policy');
  });

  it('put every page under a section of the side navigation', () => {
    const sections = SECTIONS.map((section) => section.href as string);
    for (const route of ROUTES) expect(sections).toContain(route.section);
  });
});
