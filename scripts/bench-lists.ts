/**
 * `npm run --silent bench:lists`: how fast the picker search answers on a large QBO list (Slack gives
 * block_suggestion 3 s in all; we want single-digit milliseconds). Prints one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, closeDatabase } from '../src/store/sqlite/client.ts';
import { createStore, SqliteConn } from '../src/store/index.ts';
import { qboListItems } from '../src/store/sqlite/schema.ts';
import { QboLists } from '../src/qbo/lists.ts';

const N = Number(process.env.BENCH_ROWS ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'bench-lists-'));
const db = openDatabase(join(dir, 'bench.db'));
try {
  const store = createStore(SqliteConn.open(db));
  await store.workspaces.ensure('T1');
  const words = ['Oak', 'Harbor', 'Maple', 'Summit', 'Cedar', 'Granite', 'River', 'Aspen', 'Pine', 'Mesa'];
  const rows = Array.from({ length: N }, (_, i) => {
    const parent = `${words[i % 10]} ${['Holdings', 'Partners', 'Homes', 'Dev'][i % 4]} ${Math.floor(i / 40)}`;
    const name = `${['Kitchen Remodel', 'New Build', 'Roof', 'Addition', 'Basement'][i % 5]} - ${100 + i} ${words[(i * 7) % 10]} St`;
    return {
      teamId: 'T1',
      entity: 'Customer' as const,
      qboId: String(i + 1),
      name,
      fullName: `${parent}:${name}`,
      type: 'Project',
      subType: null,
      parentId: null,
      active: i % 50 !== 0,
      data: null,
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    db.insert(qboListItems)
      .values(rows.slice(i, i + 500))
      .run();
  const lists = new QboLists(store.lists, null as never);
  const queries = ['', 'oak', 'kitchen', 'harbor 12', 'roof 4', 'zzz', 'st', 'new build 250', 'granite partners', 'e'];
  for (let i = 0; i < 50; i++) await lists.search('T1', 'Customer', queries[i % queries.length]); // warm-up
  const times: number[] = [];
  let returned = 0;
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    returned += (await lists.search('T1', 'Customer', queries[i % queries.length], { limit: 100 })).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(3));
  console.log(
    JSON.stringify({
      rows: N,
      searches: times.length,
      medianMs: q(0.5),
      p95Ms: q(0.95),
      maxMs: q(1),
      avgResults: Math.round(returned / times.length),
    }),
  );
} finally {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}
