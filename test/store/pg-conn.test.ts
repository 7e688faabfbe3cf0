import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { closePostgres, openPostgres } from '../../src/store/postgres/client.ts';
import { PgConn } from '../../src/store/postgres/conn.ts';
import { emptyDatabase, migratedDatabase, openTestPostgres, PG_SKIP_REASON, testDatabaseUrl } from './postgres.ts';

const url = testDatabaseUrl();

describe.skipIf(!url)(`PgConn and the Postgres client${url ? '' : ` — ${PG_SKIP_REASON}`}`, () => {
  it('applies the migrations once when several instances start together on an empty database', async () => {
    const t = await emptyDatabase(url!);
    try {
      const dbs = await Promise.all([1, 2, 3].map(() => openPostgres(t.url, { max: 2 })));
      const applied = await dbs[0]!.execute<{ n: number }>(sql`select count(*) as n from drizzle.__drizzle_migrations`);
      const journal = JSON.parse(readFileSync(new URL('../../src/store/postgres/migrations/meta/_journal.json', import.meta.url), 'utf8'));
      expect(applied.rows[0]!.n).toBe(journal.entries.length);
      await Promise.all(dbs.map((d) => closePostgres(d)));
    } finally {
      await t.drop();
    }
  });

  it('stores and reads back every column kind as SQLite does (numbers, booleans, JSON, bytes, epoch-ms timestamps)', async () => {
    const t = await openTestPostgres(url!);
    try {
      const c = PgConn.open(t.db);
      await c.run((d) => d.insert(c.t.workspaces).values({ teamId: 'T1' }));
      await c.run((d) => d.insert(c.t.settings).values({ teamId: 'T1', autoSync: true, adminUserIds: ['U1'] }));
      const [inv] = await c.run((d) =>
        d
          .insert(c.t.invoices)
          .values({
            teamId: 'T1',
            source: 'upload',
            fileName: 'a.pdf',
            mimeType: 'application/pdf',
            fileSize: 3,
            sha256: 'x',
            amountCents: 9_000_000_000,
            extracted: { vendor: 'Oak' },
          })
          .returning(),
      );
      expect(inv!.id).toBe(1);
      await c.run((d) => d.insert(c.t.invoiceFiles).values({ invoiceId: inv!.id, bytes: Buffer.from([0, 255, 7]) }));
      const [file] = await c.run((d) => d.select().from(c.t.invoiceFiles).where(eq(c.t.invoiceFiles.invoiceId, inv!.id)));
      expect(file!.bytes).toEqual(Buffer.from([0, 255, 7]));
      expect(inv!.amountCents).toBe(9_000_000_000);
      expect(inv!.extracted).toEqual({ vendor: 'Oak' });
      expect(inv!.allowDuplicate).toBe(false);
      // Timestamps are epoch ms, the database's default the time of the insert.
      expect(typeof inv!.createdAt).toBe('number');
      expect(Math.abs(inv!.createdAt - Date.now())).toBeLessThan(60_000);
      const [s] = await c.run((d) => d.select().from(c.t.settings).where(eq(c.t.settings.teamId, 'T1')));
      expect(s).toMatchObject({ autoSync: true, adminUserIds: ['U1'], payerUserIds: [], defaultType: 'Bill' });
      await c.run((d) => d.insert(c.t.jobs).values({ kind: 'sync', payload: {}, runAt: Date.now() }));
      const [n] = await c.run((d) => d.select({ n: sql<number>`count(*)` }).from(c.t.jobs));
      expect(n!.n).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('rolls a failed transaction back, and a tx inside a tx joins it', async () => {
    const t = await openTestPostgres(url!);
    try {
      const c = PgConn.open(t.db);
      await expect(
        c.tx(async (tx) => {
          await tx.run((d) => d.insert(c.t.workspaces).values({ teamId: 'T1' }));
          await tx.tx(async (inner) => {
            expect(inner).toBe(tx);
            await inner.run((d) => d.insert(c.t.workspaces).values({ teamId: 'T2' }));
          });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await c.run((d) => d.select().from(c.t.workspaces))).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('keeps read-then-write transactions apart: concurrent increments all count (serializable, retried)', async () => {
    const t = await openTestPostgres(url!);
    try {
      const c = PgConn.open(t.db);
      await c.run((d) => d.insert(c.t.workspaces).values({ teamId: 'T1' }));
      await c.run((d) => d.insert(c.t.qboMeteredCalls).values({ teamId: 'T1', realmId: 'R', month: '2026-12', calls: 0 }));
      const m = c.t.qboMeteredCalls;
      const bump = () =>
        c.tx(async (tx) => {
          const [row] = await tx.run((d) => d.select().from(m).where(eq(m.teamId, 'T1')));
          await new Promise((r) => setTimeout(r, 5));
          await tx.run((d) =>
            d
              .update(m)
              .set({ calls: row!.calls + 1 })
              .where(eq(m.teamId, 'T1')),
          );
        });
      await Promise.all([1, 2, 3, 4].map(bump));
      const [row] = await c.run((d) => d.select().from(m));
      expect(row!.calls).toBe(4);
    } finally {
      await t.close();
    }
  });

  it('a hot row under many instances at once: every transaction commits in the end (backed-off retries)', async () => {
    // Two instances' pools on one database.
    const t = await migratedDatabase(url!);
    const one = await openPostgres(t.url, { max: 4 });
    const other = await openPostgres(t.url, { max: 8 });
    try {
      const a = PgConn.open(one);
      const b = PgConn.open(other);
      await a.run((d) => d.insert(a.t.workspaces).values({ teamId: 'T1' }));
      await a.run((d) => d.insert(a.t.qboMeteredCalls).values({ teamId: 'T1', realmId: 'R', month: '2026-12', calls: 0 }));
      const m = a.t.qboMeteredCalls;
      const bump = (c: PgConn) =>
        c.tx(async (tx) => {
          const [row] = await tx.run((d) => d.select().from(m).where(eq(m.teamId, 'T1')));
          await new Promise((r) => setTimeout(r, 2));
          await tx.run((d) =>
            d
              .update(m)
              .set({ calls: row!.calls + 1 })
              .where(eq(m.teamId, 'T1')),
          );
        });
      await Promise.all(Array.from({ length: 24 }, (_, i) => bump(i % 2 ? a : b)));
      const [row] = await a.run((d) => d.select().from(m));
      expect(row!.calls).toBe(24);
    } finally {
      await Promise.all([closePostgres(one), closePostgres(other)]);
      await t.drop();
    }
  });

  it('reports an unreachable server as an error at start-up', async () => {
    const pool = new pg.Pool({ connectionString: url! });
    const port = await pool.query('show port').then((r) => Number(r.rows[0].port));
    await pool.end();
    await expect(openPostgres(`postgres://postgres@127.0.0.1:${port === 1 ? 2 : 1}/x`)).rejects.toThrow();
  });
});
