/**
 * The name a business trades under. A marketplace order or a booking is invoiced by a legal entity whose name the
 * buyer never dealt with ("Sold By: WS Retail Services Pvt. Ltd.", "payment in favour of Oravel Stays Pvt. Ltd."),
 * while the document names the business the buyer paid by the name its own web address and e-mail carry ("Ordered
 * through Flipkart.com … www.flipkart.com", "Payment received by OYO … contactus@oyorooms.com"). A bookkeeper books
 * that trading name — it is what the card statement and the vendor list show — and keeps the legal entity at hand.
 */
import { companyKey } from './buyer.ts';
import type { Layout } from './layout.ts';
import { fold } from './text.ts';
import { domains, legalName } from './vendor-names.ts';

/** A capitalised word or an acronym, not part of an address (no "@", "www." or "/" before it). */
const WORD = /(?<![\p{L}\p{N}@./_-])(\p{Lu}[\p{L}\p{N}]{2,})(?![\p{L}\p{N}_@-])/gu;
/** Times the trading name must be printed as a word, besides its domain: once could be any mention. */
const MIN_MENTIONS = 2;
/** A domain stem longer than the printed word by at least this much names more than it ("oyo" in "oyorooms"). */
const MIN_REST = 3;

/** The text of every cell outside the buyer's blocks, one cell a line. */
function sellerText(layout: Layout, buyerZone: Set<string>): string {
  const out: string[] = [];
  for (const r of layout.rows) r.cells.forEach((c, ci) => !buyerZone.has(`${r.idx}:${ci}`) && out.push(c.text));
  return out.join('\n');
}

/**
 * Whether a printed word is the name a domain stem stands for: the same, or a short form in capitals that starts it
 * ("OYO" in "oyorooms"; not "Hôtel" in "hotelsaintdenis").
 */
function namesDomain(word: string, stem: string): boolean {
  const w = fold(word);
  if (w === stem) return true;
  return /^\p{Lu}{3,5}$/u.test(word) && stem.startsWith(w) && stem.length - w.length >= MIN_REST;
}

/** Whether a name is the one a domain carries ("Au bon moulin SARL" and aubonmoulin.fr). */
const carriedBy = (key: string, stems: string[]) => {
  const k = key.replace(/[^a-z0-9]/g, '');
  return k.length >= 3 && stems.some((s) => s.replace(/-/g, '').includes(k) || k.includes(s.replace(/-/g, '')));
};

/** "aws" for "Amazon Web Services": an abbreviation of the legal name is that same name. */
function initials(key: string): string {
  return key
    .split(' ')
    .map((w) => w[0] ?? '')
    .join('');
}

/** Words by which an issuer says it invoices for another business ("e-Luscious Nederland B.V. iov Saeco.com"). */
const ON_BEHALF =
  /^[\s,]*(?:iov|i\.\s?o\.\s?v\.?|in\s*opdracht\s*van|namens|(?:for\s*and\s*)?on\s*behalf\s*of|acting\s*for|im\s*auftrag\s*(?:von|der|des)?|pour\s*le\s*compte\s*de|per\s*conto\s*di|en\s*nombre\s*de)\s+/;

/** Whether the document says the picked company issues this invoice on behalf of the business named `word`. */
function onBehalfOf(text: string, picked: string, word: string): boolean {
  const f = fold(text);
  for (let i = f.indexOf(fold(picked)); i >= 0; i = f.indexOf(fold(picked), i + 1)) {
    const rest = f.slice(i + picked.length, i + picked.length + 60);
    const m = ON_BEHALF.exec(rest);
    if (m && rest.slice(m[0].length).startsWith(word)) return true;
  }
  return false;
}

/**
 * The trading name to book instead of `picked` (a legal entity's name), or null: a word printed at least twice that a
 * web or e-mail domain printed outside the buyer's blocks carries, and that is not already the picked name, part of it
 * or its initials — when the picked name has no domain of its own and does not say it invoices on that business's
 * behalf.
 */
export function tradingNameOf(layout: Layout, buyerZone: Set<string>, picked: string, own: (name: string) => boolean = () => false): string | null {
  if (!legalName(picked)) return null;
  const key = companyKey(picked);
  // The seller's domains are those printed outside the buyer's blocks; its name may be printed anywhere (a hotel's
  // name under the guest's).
  const stems = domains(sellerText(layout, buyerZone)).filter((d) => !own(d));
  // The picked name has its own web address: it is the name the business trades under.
  if (!stems.length || carriedBy(key, stems)) return null;
  const mentions = new Map<string, { count: number; spellings: Map<string, number> }>();
  for (const m of layout.text.matchAll(WORD)) {
    const word = m[1];
    if (!stems.some((s) => namesDomain(word, s))) continue;
    const k = fold(word);
    const e = mentions.get(k) ?? { count: 0, spellings: new Map<string, number>() };
    e.count++;
    e.spellings.set(word, (e.spellings.get(word) ?? 0) + 1);
    mentions.set(k, e);
  }
  let best: { word: string; count: number } | null = null;
  for (const [k, e] of mentions) {
    if (e.count < MIN_MENTIONS || key.includes(k) || initials(key) === k || own(k) || onBehalfOf(layout.text, picked, k)) continue;
    const word = [...e.spellings.entries()].sort((a, b) => b[1] - a[1])[0][0];
    if (!best || e.count > best.count) best = { word, count: e.count };
  }
  return best?.word ?? null;
}
