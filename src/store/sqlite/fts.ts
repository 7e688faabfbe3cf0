/**
 * Helpers for the pickers' word search (FTS5 tables qbo_list_items_fts and profiles_fts, migration 0002_perf):
 * what a person typed → an FTS5 MATCH expression, and the scope token that keeps a search inside one workspace's list.
 */

/** The words of a query, lower-cased, at most five (a picker query is short; more words only narrow further). */
export function queryWords(query: string): string[] {
  return query.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
}

/** The same token the triggers write: lower(hex(team_id)) || 'x' || list name (letters only). */
export function ftsScope(teamId: string, list: string): string {
  return `${Buffer.from(teamId, 'utf8').toString('hex')}x${list.toLowerCase().replace(/[^a-z]/g, '')}`;
}

/**
 * Every word must start a word of the name ("oak 2" finds "Oak Street:Phase 2"); a word with punctuation inside
 * ("fit-out") is a phrase of its parts. Null when nothing searchable is left (only punctuation).
 */
export function ftsMatch(scope: string, words: string[]): string | null {
  const terms = words.filter((w) => /[\p{L}\p{N}]/u.test(w)).map((w) => `words:"${w.replace(/"/g, '""')}"*`);
  if (!terms.length) return null;
  return [`scope:${scope}`, ...terms].join(' AND ');
}

/** `lower(name) >= lo AND lower(name) < hi` selects exactly the names starting with `prefix` (index range scan). */
export function prefixRange(prefix: string): [string, string] {
  return [prefix, `${prefix}\u{10FFFF}`];
}
