/** Text helpers shared by the extractor's parts. */

/**
 * Lower-cases and strips diacritics character by character, so the result has the same length
 * and offsets as the input ("Fällig" → "fallig", "Échéance" → "echeance").
 */
const cache = new Map<string, string>();

export function fold(s: string): string {
  if (/^\p{ASCII}*$/u.test(s)) return s.toLowerCase();
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  const out = foldSlow(s);
  if (cache.size > 20_000) cache.clear();
  cache.set(s, out);
  return out;
}

function foldSlow(s: string): string {
  let out = '';
  for (const ch of s) {
    let f = ch
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
    if (f.length !== ch.length) f = ch.length === 1 ? (ch.toLowerCase().length === 1 ? ch.toLowerCase() : ch) : ch;
    out += f;
  }
  return out;
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
