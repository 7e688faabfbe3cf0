/** Large, varied QBO lists for the benchmarks: customer projects (sub-customers of clients) and vendors. */
import { profiles } from '../../src/store/sqlite/schema.ts';
import type { Db } from '../../src/store/sqlite/client.ts';
import { createStore, SqliteConn } from '../../src/store/index.ts';
import { QboLists } from '../../src/qbo/lists.ts';
import type { QboClient } from '../../src/qbo/client.ts';

const WORDS = [
  'Oak',
  'Harbor',
  'Maple',
  'Summit',
  'Cedar',
  'Granite',
  'River',
  'Aspen',
  'Pine',
  'Mesa',
  'Willow',
  'Ridge',
  'Canyon',
  'Birch',
  'Falcon',
  'Juniper',
];
const KINDS = ['Kitchen Remodel', 'New Build', 'Roof', 'Addition', 'Basement', 'Deck', 'Bath Remodel', 'Tenant Fit-out'];
const TRADES = ['Lumber', 'Concrete', 'Electric', 'Plumbing', 'Roofing', 'Drywall', 'Rentals', 'Steel', 'Glass', 'Paving'];
const SUFFIX = ['Holdings', 'Partners', 'Homes', 'Dev', 'Group', 'Co'];

export function clientName(i: number): string {
  return `${WORDS[i % WORDS.length]} ${SUFFIX[(i >> 4) % SUFFIX.length]} ${Math.floor(i / 96)}`;
}
export function projectName(i: number): string {
  return `${KINDS[i % KINDS.length]} - ${100 + i} ${WORDS[(i * 7) % WORDS.length]} St`;
}
export function vendorName(i: number): string {
  return `${WORDS[(i * 3) % WORDS.length]} ${TRADES[i % TRADES.length]} ${SUFFIX[(i >> 3) % SUFFIX.length]} ${Math.floor(i / 480)}`;
}

/** QBO-shaped records (as the emulator or QBO would return them). */
export function qboCustomers(n: number, startId = 100_000): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const clients = Math.max(1, Math.ceil(n / 25));
  for (let c = 0; c < clients && out.length < n; c++)
    out.push({
      Id: String(startId + out.length),
      DisplayName: clientName(c),
      FullyQualifiedName: clientName(c),
      Active: true,
      Job: false,
      IsProject: false,
    });
  for (let i = 0; out.length < n; i++) {
    const parent = clientName(i % clients);
    out.push({
      Id: String(startId + out.length),
      DisplayName: projectName(i),
      FullyQualifiedName: `${parent}:${projectName(i)}`,
      Active: i % 50 !== 7,
      Job: true,
      IsProject: true,
      ParentRef: { value: String(startId + (i % clients)) },
    });
  }
  return out;
}
export function qboVendors(n: number, startId = 200_000): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    Id: String(startId + i),
    DisplayName: vendorName(i),
    Active: i % 40 !== 3,
  }));
}

/** Fills the local cache through the app's own refresh path (a stand-in QBO client), and `n` project profiles. */
export async function seedCache(db: Db, teamId: string, n: number): Promise<void> {
  const store = createStore(SqliteConn.open(db));
  await store.workspaces.ensure(teamId);
  const fake = {
    findAll: async (_t: string, entity: string) => (entity === 'Customer' ? qboCustomers(n) : entity === 'Vendor' ? qboVendors(n) : []),
  };
  await new QboLists(store.lists, fake as unknown as QboClient).refresh(teamId, ['Customer', 'Vendor']);
  seedProfiles(db, teamId, n);
}

export function seedProfiles(db: Db, teamId: string, n: number, linkedTo?: (i: number) => string): void {
  db.transaction((tx) => {
    for (let i = 0; i < n; i += 500) {
      const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => {
        const j = i + k;
        const linked = linkedTo && j % 10 !== 0 ? { qboEntity: 'Customer' as const, qboId: linkedTo(j), qboName: projectName(j) } : {};
        return { teamId, kind: 'project' as const, name: projectName(j), ...linked };
      });
      tx.insert(profiles).values(rows).run();
    }
  });
}

/** What people type into the pickers: prefixes, words from the middle, several words, nothing found. */
export const QUERIES = [
  '',
  'oak',
  'kitchen',
  'harbor 12',
  'roof 4',
  'zzz',
  'st',
  'new build 25',
  'granite',
  'e',
  'cedar lumber',
  'deck 5',
  'bath',
  'mesa st',
  '1234',
];
