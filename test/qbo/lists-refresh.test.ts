import { expect, it } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import { QboLists } from '../../src/qbo/lists.ts';
import type { QboClient, QboEntity } from '../../src/qbo/client.ts';
import { forEachDialect } from '../store/dialects.ts';

/**
 * The list cache over the async store, on SQLite and on Postgres: a refresh brings a large list in (several write
 * chunks), drops what QBO no longer has, keeps inactive records, and the reads the pickers and settings use answer
 * from it.
 */

type Entity = QboEntity;

/** QBO's list queries as the refresh sees them: what the company holds now, and which lists were asked for. */
function fakeQbo(data: Record<string, Entity[]>) {
  const calls: string[] = [];
  const client = {
    async findAll(_team: string, entity: string) {
      calls.push(entity);
      await new Promise((r) => setTimeout(r, 10));
      return structuredClone(data[entity] ?? []);
    },
  };
  return { client: client as unknown as QboClient, calls, data };
}

const vendor = (id: number, name: string, active = true): Entity => ({ Id: String(id), DisplayName: name, Active: active });
const account = (id: number, name: string, type: string, active = true): Entity => ({
  Id: String(id),
  Name: name,
  AccountType: type,
  Active: active,
});

forEachDialect('QboLists on the lists store', (makeConn) => {
  it('a refresh of a large list writes every record, then forgets the ones QBO no longer has', async () => {
    const store = createStore(await makeConn());
    const many = Array.from({ length: 620 }, (_, i) => vendor(i + 1, `Vendor ${i + 1} Supply`));
    const qbo = fakeQbo({ Vendor: many, Account: [] });
    const lists = new QboLists(store.lists, qbo.client);
    // A workspace seen for the first time: the refresh makes its row, an empty list is still marked as read.
    const t0 = Date.now();
    expect(await lists.refresh('T1', ['Account', 'Vendor'])).toEqual({ Account: 0, Vendor: 620 });
    expect(await lists.counts('T1')).toEqual({ Account: 0, Customer: 0, Item: 0, Vendor: 620, Class: 0 });
    expect(await lists.refreshedAt('T1', 'Account')).toBeGreaterThanOrEqual(t0);
    expect(await lists.refreshedAt('T1', 'Account')).toBeLessThanOrEqual(Date.now());
    expect(await lists.refreshedAt('T1', 'Customer')).toBeNull();

    qbo.data.Vendor = [...many.slice(0, 10), vendor(11, 'Renamed Eleven'), vendor(12, 'Vendor 12 Supply', false)];
    await lists.refresh('T1', ['Vendor']);
    expect(await lists.count('T1', 'Vendor')).toBe(12);
    // The settings modal's counts are kept by the writes (not counted per read): they follow the removals too.
    expect(await lists.counts('T1')).toMatchObject({ Vendor: 12, Account: 0 });
    expect(await lists.get('T1', 'Vendor', '600')).toBeNull();
    expect((await lists.get('T1', 'Vendor', '11'))?.name).toBe('Renamed Eleven');
    expect((await lists.get('T1', 'Vendor', '12'))?.active).toBe(false);
    expect((await lists.search('T1', 'Vendor', 'vendor 12', { includeInactive: true })).map((v) => v.id)).toEqual(['12']);
    expect(await lists.search('T1', 'Vendor', 'vendor 12')).toEqual([]);
  });

  it('callers arriving together share one refresh per workspace', async () => {
    const store = createStore(await makeConn());
    const qbo = fakeQbo({ Vendor: [vendor(1, 'Acme')] });
    const lists = new QboLists(store.lists, qbo.client);
    const running = [lists.refresh('T1', ['Vendor']), lists.refresh('T1', ['Vendor']), lists.refresh('T2', ['Vendor'])];
    expect(lists.isRefreshing('T1')).toBe(true);
    await Promise.all(running);
    expect(qbo.calls).toEqual(['Vendor', 'Vendor']); // T1 once, T2 once
    expect(lists.isRefreshing('T1')).toBe(false);
    expect(await lists.count('T2', 'Vendor')).toBe(1);
  });

  it('reads several records in one call, in the order asked, and only the purchase accounts as purchase accounts', async () => {
    const store = createStore(await makeConn());
    const qbo = fakeQbo({
      Account: [
        account(1, 'Operating Checking', 'Bank'),
        account(2, 'Visa Business', 'Credit Card'),
        account(3, 'Job Materials', 'Cost of Goods Sold'),
        account(4, 'Old Savings', 'Bank', false),
      ],
    });
    const lists = new QboLists(store.lists, qbo.client);
    await lists.refresh('T1', ['Account']);
    await lists.refresh('T2', ['Account']);
    const many = await lists.getMany('T1', 'Account', ['3', '99', '1', '3']);
    expect(many.map((a) => a.name)).toEqual(['Job Materials', 'Operating Checking', 'Job Materials']);
    expect(await lists.getMany('T1', 'Vendor', ['1'])).toEqual([]); // another list's ids mean nothing here
    expect((await lists.purchaseAccounts('T1')).map((a) => a.name)).toEqual(['Operating Checking', 'Visa Business']);
    expect((await lists.expenseAccounts('T1', 'job')).map((a) => a.name)).toEqual(['Job Materials']);
    // One record written at once (a vendor just made in QBO), then forgotten (deleted there).
    await lists.upsert('T3', 'Vendor', vendor(7, 'New Vendor'));
    expect((await lists.search('T3', 'Vendor', 'new')).map((v) => v.id)).toEqual(['7']);
    expect(await lists.counts('T3')).toMatchObject({ Vendor: 1 });
    await lists.remove('T3', 'Vendor', '7');
    await lists.remove('T4', 'Vendor', '7'); // nothing cached for that workspace: nothing to count
    expect(await lists.counts('T3')).toMatchObject({ Vendor: 0 });
    // A workspace that connected another company forgets its cache, counts included.
    await store.lists.forgetTeam('T1');
    expect(await lists.counts('T1')).toMatchObject({ Account: 0 });
  });
});
