/**
 * The one vendor-name normaliser: what two spellings of a company's name have in common once case, accents,
 * punctuation, "&"/"and" and legal suffixes (Inc., GmbH, B.V. …) are set aside. Intake matches QBO vendors with it
 * (vendor-match.ts) and the extraction benchmark judges a read vendor with it (extract/match.ts). Pure.
 */

const SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'limited',
  'gmbh',
  'ag',
  'bv',
  'co',
  'corp',
  'corporation',
  'company',
  'sa',
  'sas',
  'sarl',
  'plc',
  'nv',
  'kg',
  'se',
  'the',
  'and',
  'mbh',
]);

/** A name's significant words: "Coolblue B.V." → ['coolblue'], "Müller & Söhne GmbH" → ['muller', 'sohne']. */
export function normalizeName(s: string): string[] {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\b([a-z])\.(?=[a-z]\.)/g, '$1') // b.v. → bv.
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((w) => w && !SUFFIXES.has(w));
}
