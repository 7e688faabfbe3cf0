/** Text helpers shared by the extractor's parts. */

/**
 * Lower-cases and strips diacritics character by character, so the result has the same length
 * and offsets as the input ("Fällig" → "fallig", "Échéance" → "echeance").
 */
export function fold(s: string): string {
  let out = '';
  for (const ch of s) {
    let f = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    if (f.length !== ch.length) f = ch.length === 1 ? (ch.toLowerCase().length === 1 ? ch.toLowerCase() : ch) : ch;
    out += f;
  }
  return out;
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
