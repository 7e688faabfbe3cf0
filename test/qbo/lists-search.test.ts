import { it, expect } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import { QboLists } from '../../src/qbo/lists.ts';
import type { QboClient } from '../../src/qbo/client.ts';
import { addProfile } from '../../src/workspace/profiles.ts';
import { matchVendorAny, vendorCandidateWords } from '../../src/invoices/intake.ts';
import { forEachDialect } from '../store/dialects.ts';

/** A stand-in for QBO's list queries: what QBO holds now, and how often it was asked. */
function fakeQbo(data: Record<string, Record<string, unknown>[]>) {
  const calls: string[] = [];
  const client = {
    async findAll(_team: string, entity: string) {
      calls.push(entity);
      await new Promise((r) => setTimeout(r, 20));
      return structuredClone(data[entity] ?? []);
    },
  };
  return { client: client as unknown as QboClient, calls, data };
}

const customer = (id: number, parent: string, name: string, active = true) => ({
  Id: String(id),
  DisplayName: name,
  FullyQualifiedName: `${parent}:${name}`,
  Active: active,
  Job: true,
  IsProject: true,
});

/** The pickers' search and the vendor matcher's candidates, through QboLists, on SQLite (FTS5) and Postgres (GIN). */
forEachDialect('picker search on the cached lists', (makeConn) => {
  it("finds names by their start first, then by the start of any word, never another workspace's, and at most the limit", async () => {
    const store = createStore(await makeConn());
    const rows = [
      customer(1, 'Harbor Homes', 'Oak Street Remodel'),
      customer(2, 'Oakland Partners', 'New Build - 12 Pine St'),
      customer(3, 'Maple Dev', 'Roof - 4 Oak Ave'),
      customer(4, 'Maple Dev', 'Oak Street Deck', false),
      customer(5, 'Cedar Co', 'Soak Pit'),
      ...Array.from({ length: 3000 }, (_, i) => customer(100 + i, `Client ${i % 40}`, `Kitchen Remodel - ${i} Birch St`)),
    ];
    const qbo = fakeQbo({ Customer: rows });
    const lists = new QboLists(store.lists, qbo.client);
    await lists.refresh('T1', ['Customer']);
    await new QboLists(store.lists, fakeQbo({ Customer: [customer(9, 'Other', 'Oak Street Other')] }).client).refresh('T2', ['Customer']);

    const oak = (await lists.search('T1', 'Customer', 'oak')).map((c) => c.fullName);
    // "Oak…" names first, then a word starting with oak; the inactive one, "Soak" and T2's row are not offered.
    expect(oak).toEqual(['Harbor Homes:Oak Street Remodel', 'Maple Dev:Roof - 4 Oak Ave', 'Oakland Partners:New Build - 12 Pine St']);
    expect((await lists.search('T1', 'Customer', 'oak', { includeInactive: true })).map((c) => c.id)).toContain('4');
    expect((await lists.search('T1', 'Customer', 'pine 12')).map((c) => c.id)).toEqual(['2']);
    expect((await lists.search('T1', 'Customer', 'kitchen 29', { limit: 100 })).length).toBeLessThanOrEqual(100);
    expect((await lists.search('T1', 'Customer', 'kitchen 2999')).map((c) => c.name)).toEqual(['Kitchen Remodel - 2999 Birch St']);
    expect(await lists.search('T1', 'Customer', 'birch', { limit: 25 })).toHaveLength(25);
    expect(await lists.search('T1', 'Customer', '', { limit: 10 })).toHaveLength(10);
    for (const odd of ['%', '"', 'oak"', '*', 'a AND b', 'NEAR(', '-'])
      await expect(lists.search('T1', 'Customer', odd)).resolves.toBeInstanceOf(Array);
    expect(await lists.search('T1', 'Customer', '%')).toEqual([]);
  });

  it('a refresh brings renames, deactivations and deletions into the search, and runs once for callers arriving together', async () => {
    const store = createStore(await makeConn());
    const qbo = fakeQbo({ Customer: [customer(1, 'Harbor Homes', 'Oak Street Remodel'), customer(2, 'Maple Dev', 'Pine Deck')] });
    const lists = new QboLists(store.lists, qbo.client);
    await lists.refresh('T1', ['Customer']);
    expect((await lists.search('T1', 'Customer', 'pine')).map((c) => c.id)).toEqual(['2']);

    qbo.data.Customer = [customer(1, 'Harbor Homes', 'Birch Lane Remodel'), customer(3, 'Maple Dev', 'Pine Garage')];
    qbo.calls.length = 0;
    await Promise.all([lists.refresh('T1', ['Customer']), lists.refresh('T1', ['Customer']), lists.refresh('T1', ['Customer'])]);
    expect(qbo.calls).toEqual(['Customer']); // one QBO query for three callers
    expect(await lists.search('T1', 'Customer', 'oak')).toEqual([]);
    expect((await lists.search('T1', 'Customer', 'birch')).map((c) => c.id)).toEqual(['1']);
    expect((await lists.search('T1', 'Customer', 'pine')).map((c) => c.id)).toEqual(['3']);
    expect(await lists.count('T1', 'Customer')).toBe(2);
    expect(lists.isRefreshing('T1')).toBe(false);
  });

  it('project and cost-code pickers search the profiles the same way', async () => {
    const store = createStore(await makeConn());
    for (const n of ['Oak Street', 'Harbor View - Oak', 'Maple', 'Soaking Tub Install']) await addProfile(store, 'T1', 'project', n);
    await addProfile(store, 'T1', 'cost_code', 'Oak Flooring');
    await addProfile(store, 'T2', 'project', 'Oak Other');
    const names = async (kind: 'project' | 'cost_code', q: string, limit: number) =>
      (await store.profiles.search('T1', kind, q, limit)).map((p) => p.name);
    expect(await names('project', 'oak', 100)).toEqual(['Oak Street', 'Harbor View - Oak']);
    expect(await names('cost_code', 'oak', 100)).toEqual(['Oak Flooring']);
    expect(await names('project', '', 2)).toEqual(['Harbor View - Oak', 'Maple']);
    expect(await names('project', 'view oak', 100)).toEqual(['Harbor View - Oak']);
  });

  it('a vendor name read from a file is matched among a few candidates from the index, not the whole list', async () => {
    const store = createStore(await makeConn());
    const vendors = [
      { Id: '1', DisplayName: 'Acme Supply', Active: true },
      { Id: '2', DisplayName: 'OYO Rooms', Active: true },
      { Id: '3', DisplayName: 'Mile High Lumber', Active: false },
      ...Array.from({ length: 3000 }, (_, i) => ({ Id: String(10 + i), DisplayName: `Vendor ${i} Supply Co`, Active: true })),
    ];
    const lists = new QboLists(store.lists, fakeQbo({ Vendor: vendors }).client);
    await lists.refresh('T1', ['Vendor']);
    const find = async (...names: string[]) => {
      const candidates = await lists.vendorCandidates('T1', vendorCandidateWords(names));
      expect(candidates.length).toBeLessThanOrEqual(200);
      return matchVendorAny(candidates, names)?.name ?? null;
    };
    expect(await find('ACME SUPPLY CO., INC.')).toBe('Acme Supply');
    expect(await find('Unknown Seller GmbH', 'oyorooms')).toBe('OYO Rooms');
    expect(await find('Mile High Lumber')).toBeNull(); // inactive
    expect(await find('Nobody Here')).toBeNull();
  });
});
