import type { ListItem } from '../qbo/lists.ts';
import { normalizeName } from './vendor-name.ts';

export { normalizeName };

/** Pure helpers of intake (src/invoices/intake.ts): amounts to cents, and matching a read vendor name to the QBO list. */

/** Decimal amount → integer cents without floating-point drift (279.84 → 27984). */
export function toCents(n: number): number {
  return Math.round(Number((n * 100).toFixed(4)));
}

/**
 * The words a vendor matching one of `names` must have (see matchVendor): their own words, and for a name written
 * as one word ("oyorooms" from a web address) each start of it, which may be the first word of "OYO Rooms".
 */
export function vendorCandidateWords(names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const words = normalizeName(name);
    out.push(...words);
    const compact = words.join('');
    for (let i = 2; i < Math.min(compact.length, 30); i++) out.push(compact.slice(0, i));
  }
  return out;
}

/**
 * The QBO vendor a name read from an invoice means: the same words (ignoring case, punctuation and legal suffixes
 * like Inc./GmbH/B.V.), else one name's words all inside the other's. Active vendors only; null when unsure.
 */
export function matchVendor(vendors: ListItem[], name: string): ListItem | null {
  const want = normalizeName(name);
  if (!want.length) return null;
  const key = want.join(' ');
  const active = vendors.filter((v) => v.active);
  // Same words, or the same letters once spaces go ("oyorooms" from a web address is "OYO Rooms").
  const compact = key.replace(/ /g, '');
  const exact = active.filter((v) => {
    const have = normalizeName(v.name);
    return have.join(' ') === key || (compact.length >= 4 && have.join('') === compact);
  });
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) return null;
  const wantSet = new Set(want);
  let best: { v: ListItem; score: number } | null = null;
  let tie = false;
  for (const v of active) {
    const have = normalizeName(v.name);
    if (!have.length) continue;
    const haveSet = new Set(have);
    const inner = have.every((w) => wantSet.has(w)) ? have : want.every((w) => haveSet.has(w)) ? want : null;
    if (!inner || inner.join('').length < 4) continue;
    const score = inner.length / Math.max(have.length, want.length);
    if (score < 0.5) continue;
    if (!best || score > best.score) {
      best = { v, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return best && !tie ? best.v : null;
}

/**
 * The QBO vendor for the first of `names` (the name read as the seller, then the other names the document gives
 * it: a brand, a web or e-mail domain) that matches one.
 */
export function matchVendorAny(vendors: ListItem[], names: string[]): ListItem | null {
  for (const name of names) {
    const hit = matchVendor(vendors, name);
    if (hit) return hit;
  }
  return null;
}
