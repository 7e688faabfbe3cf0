import { expect, it } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import type { ListRow } from '../../src/store/lists.ts';
import { forEachDialect } from './dialects.ts';

/** The pickers' search answers the same on SQLite (FTS5) and on Postgres (GIN tsvector, C-collated prefix index). */

const row = (id: string, fullName: string, active = true): ListRow => ({
  id,
  name: fullName.split(':').at(-1)!,
  fullName,
  type: null,
  subType: null,
  parentId: null,
  active,
});

forEachDialect('List and profile search', (makeConn) => {
  it('finds names by prefix first, then by word starts, within one workspace and list, active only', async () => {
    const store = createStore(await makeConn());
    await store.lists.upsert('T1', 'Customer', [
      row('1', 'Oak Street'),
      row('2', 'Oak Street:Phase 2'),
      row('3', 'Big Oak Farm'),
      row('4', 'Cedar Fit-Out'),
      row('5', 'Oakland Old', false),
      row('6', 'Pine Road'),
    ]);
    await store.lists.upsert('T2', 'Customer', [row('9', 'Oak Elsewhere')]);
    await store.lists.upsert('T1', 'Vendor', [row('8', 'Oak Supplies')]);
    const names = async (q: string, opts = {}) => (await store.lists.search('T1', 'Customer', q, opts)).map((r) => r.fullName);
    // Names (the last part of the full name) starting with the query first, then the other word matches.
    expect(await names('oak')).toEqual(['Oak Street', 'Big Oak Farm', 'Oak Street:Phase 2']);
    expect(await names('OAK 2')).toEqual(['Oak Street:Phase 2']);
    expect(await names('phase')).toEqual(['Oak Street:Phase 2']);
    expect(await names('fit-out')).toEqual(['Cedar Fit-Out']);
    expect(await names('out')).toEqual(['Cedar Fit-Out']);
    expect(await names('ak')).toEqual([]);
    expect(await names('oak', { includeInactive: true })).toEqual(['Oak Street', 'Oakland Old', 'Big Oak Farm', 'Oak Street:Phase 2']);
    expect(await names('oak', { limit: 1 })).toEqual(['Oak Street']);
    expect(await names("%_'")).toEqual([]);
    expect(await names('')).toEqual(['Big Oak Farm', 'Cedar Fit-Out', 'Oak Street', 'Oak Street:Phase 2', 'Pine Road']);
  });

  it('a changed list row is found under its new name only', async () => {
    const store = createStore(await makeConn());
    await store.lists.upsert('T1', 'Vendor', [row('1', 'Acme Lumber')]);
    await store.lists.upsert('T1', 'Vendor', [row('1', 'Zenith Timber')]);
    expect(await store.lists.search('T1', 'Vendor', 'acme')).toEqual([]);
    expect((await store.lists.search('T1', 'Vendor', 'timber')).map((r) => r.id)).toEqual(['1']);
    expect(await store.lists.count('T1', 'Vendor')).toBe(1);
  });

  it('searches projects and cost codes the same way', async () => {
    const store = createStore(await makeConn());
    await store.workspaces.ensure('T1');
    for (const name of ['Riverside Tower', 'Tower Crane Rental', 'North Yard']) await store.profiles.insert('T1', 'project', name);
    await store.profiles.insert('T1', 'cost_code', 'Tower cleanup');
    const names = async (q: string) => (await store.profiles.search('T1', 'project', q, 10)).map((p) => p.name);
    expect(await names('tow')).toEqual(['Tower Crane Rental', 'Riverside Tower']);
    expect(await names('yard north')).toEqual(['North Yard']);
    expect(await names('')).toEqual(['North Yard', 'Riverside Tower', 'Tower Crane Rental']);
  });
});
