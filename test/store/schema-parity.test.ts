import { describe, expect, it } from 'vitest';
import { is, SQL, type Column } from 'drizzle-orm';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import * as sqlite from '../../src/store/sqlite/schema.ts';
import * as postgres from '../../src/store/postgres/schema.ts';

/** The two dialects' schemas describe one logical schema: store code written against `c.t` runs on both. */

const sqliteTables = Object.entries(sqlite).filter(([, v]) => is(v, SQLiteTable)) as [string, SQLiteTable][];
const pgTables = Object.entries(postgres).filter(([, v]) => is(v, PgTable)) as [string, PgTable][];

/** What a column holds, in dialect-neutral words (SQLite integer ↔ Postgres integer or bigint, blob ↔ bytea …). */
function kind(c: Column): string {
  const t = c.getSQLType().toLowerCase();
  if (c.dataType === 'boolean') return 'boolean';
  if (c.dataType === 'json' || t === 'jsonb') return 'json';
  if (t === 'blob' || t === 'bytea') return 'bytes';
  if (t === 'integer' || t === 'bigint') return 'integer';
  if (t === 'text') return 'text';
  return `other:${t}`;
}

/** Filled in by the database when not given: SQLite marks every integer primary key so (rowid), so ask autoIncrement. */
function hasDefault(c: Column): boolean {
  if (c.primary && 'autoIncrement' in c) return Boolean((c as { autoIncrement?: boolean }).autoIncrement);
  return c.hasDefault;
}

function describeColumns(columns: Column[]) {
  return Object.fromEntries(columns.map((c) => [c.name, { kind: kind(c), notNull: c.notNull, primary: c.primary, hasDefault: hasDefault(c) }]));
}

function indexColumns(cols: unknown[]): string[] {
  return cols.map((c) => (is(c, SQL) ? 'expression' : (c as Column).name));
}

function sqlText(where: SQL | undefined): string | null {
  if (!where) return null;
  return where.queryChunks
    .map((ch) => (typeof ch === 'object' && ch && 'value' in ch ? (ch.value as string[]).join('') : ''))
    .join('')
    .replace(/\s+/g, ' ');
}

describe('one timestamp type', () => {
  // A time is epoch ms in an integer column on both dialects (docs/architecture.md); calendar days (invoice_date,
  // due_date) and months stay text, and are not named *_at.
  const isTime = (name: string) => /(^|_)(at|until|since)$/.test(name) || name === 'last_updated';
  for (const [dialect, tables] of [
    ['sqlite', sqliteTables.map(([, t]) => sqliteConfig(t))],
    ['postgres', pgTables.map(([, t]) => pgConfig(t))],
  ] as const) {
    it(`${dialect}: every *_at, *_until, *_since and last_updated column is an integer (epoch ms)`, () => {
      const times = tables.flatMap((t) => t.columns.filter((c) => isTime(c.name)).map((c) => `${t.name}.${c.name}: ${kind(c)}`));
      expect(times.length).toBeGreaterThan(45);
      expect(times.filter((t) => !t.endsWith(': integer'))).toEqual([]);
    });
  }
});

describe('the Postgres schema matches the SQLite schema', () => {
  it('exports the same tables under the same names', () => {
    expect(pgTables.map(([k, t]) => [k, pgConfig(t).name]).sort()).toEqual(sqliteTables.map(([k, t]) => [k, sqliteConfig(t).name]).sort());
  });

  for (const [key, table] of sqliteTables) {
    it(`${key}: same columns, nullability, keys and unique indexes`, () => {
      const s = sqliteConfig(table);
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: the test walks every table of both schemas by name.
      const p = pgConfig(postgres[key as keyof typeof postgres] as PgTable);
      expect(describeColumns(p.columns)).toEqual(describeColumns(s.columns));
      // Same property names on the table object: store code reads columns as c.t.<table>.<key>.
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: as above.
      expect(Object.keys(getColumnsByKey(postgres[key as keyof typeof postgres] as PgTable)).sort()).toEqual(
        Object.keys(getColumnsByKey(table)).sort(),
      );
      expect(p.primaryKeys.map((k) => k.columns.map((c) => c.name))).toEqual(s.primaryKeys.map((k) => k.columns.map((c) => c.name)));
      const unique = (cfg: { indexes: { config: { name?: string; unique: boolean; columns: unknown[]; where?: SQL } }[] }) =>
        cfg.indexes
          .filter((i) => i.config.unique)
          .map((i) => ({
            name: i.config.name ?? '',
            columns: indexColumns(i.config.columns),
            where: sqlText(i.config.where),
          }))
          .sort((a, b) => a.name.localeCompare(b.name));
      expect(unique(p)).toEqual(unique(s));
      const fks = (list: { reference: () => { columns: Column[]; foreignColumns: Column[] }; onDelete?: string }[]) =>
        list.map((f) => `${f.reference().columns.map((c) => c.name)}→${f.reference().foreignColumns.map((c) => c.name)} ${f.onDelete ?? ''}`).sort();
      expect(fks(p.foreignKeys)).toEqual(fks(s.foreignKeys));
    });
  }
});

function getColumnsByKey(t: SQLiteTable | PgTable): Record<string, unknown> {
  return Object.fromEntries(Object.entries(t).filter(([, v]) => v && typeof v === 'object' && 'columnType' in (v as object)));
}
