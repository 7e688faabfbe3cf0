import { sql, type SQL } from 'drizzle-orm';

/**
 * The pickers' search on Postgres, served by the indexes of ./schema-core.ts: `lower(name) COLLATE "C"` (code-point
 * order, as SQLite compares, so the `>= lo AND < hi` prefix range is an index range scan) and GIN indexes over
 * to_tsvector('simple', …) for word-prefix search (what FTS5 does on SQLite).
 */

/** lower(column) in code-point order: the expression the prefix indexes are built on. */
export function lowerC(column: unknown): SQL {
  return sql`lower(${column}) COLLATE "C"`;
}

/**
 * Every word must start a word of the text: "oak 2" → `oak:* & 2:*`; a word with punctuation inside ("fit-out")
 * needs each of its parts. Only letters and digits reach the query, so nothing needs escaping. Null when nothing
 * searchable is left.
 */
export function wordPrefixQuery(words: string[]): string | null {
  const parts = words.flatMap((w) => w.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  return parts.length ? parts.map((p) => `${p}:*`).join(' & ') : null;
}

/** `document @@ query` against the GIN index on to_tsvector('simple', document). */
export function matchesWords(document: SQL, query: string): SQL {
  return sql`to_tsvector('simple', ${document}) @@ to_tsquery('simple', ${query})`;
}
