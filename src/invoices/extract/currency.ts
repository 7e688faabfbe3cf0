/** Currency from ISO codes, symbols and words, weighted by where they appear. */

export const ISO_CODES = new Set(
  'USD EUR GBP CHF CAD AUD NZD JPY CNY INR SEK NOK DKK PLN CZK HUF RON BGN HRK TRY RUB UAH ZAR BRL MXN ARS CLP COP PEN SGD HKD TWD KRW THB MYR IDR PHP VND AED SAR QAR KWD ILS EGP NGN KES MAD ISK'.split(
    ' ',
  ),
);

// Longest first so "US$" wins over "$".
const SYMBOLS: [RegExp, string][] = [
  [/(?<![A-Za-z])(?:US\$|USD\$|U\.S\.\s?\$)/g, 'USD'],
  [/(?<![A-Za-z])(?:CA\$|C\$|CAD\$)/g, 'CAD'],
  [/(?<![A-Za-z])(?:AU\$|A\$|AUD\$)/g, 'AUD'],
  [/(?<![A-Za-z])NZ\$/g, 'NZD'],
  [/(?<![A-Za-z])HK\$/g, 'HKD'],
  [/(?<![A-Za-z])S\$/g, 'SGD'],
  [/(?<![A-Za-z])(?:MX\$)/g, 'MXN'],
  [/(?<![A-Za-z])R\$/g, 'BRL'],
  [/€/g, 'EUR'],
  [/£/g, 'GBP'],
  [/₹/g, 'INR'],
  [/(?<![A-Za-z])Rs\.?(?=\s?\d)/g, 'INR'],
  [/₩/g, 'KRW'],
  [/₺/g, 'TRY'],
  [/₽/g, 'RUB'],
  [/₪/g, 'ILS'],
  [/₱/g, 'PHP'],
  [/¥|円/g, 'JPY'],
  [/(?<![A-Za-z])zł/g, 'PLN'],
  [/(?<![A-Za-z])RM(?=\s?\d)|\(RM\)/g, 'MYR'],
  [/(?<![A-Za-z])Kč/g, 'CZK'],
  [/(?<![-A-Za-z.])(?:SFr\.|Fr\.)(?=\s?\d)/g, 'CHF'],
  [/\$/g, 'USD'],
];

const WORDS: [RegExp, string][] = [
  [/\beuros?\b/gi, 'EUR'],
  [/\b(?:US|U\.S\.)\s+dollars?\b/gi, 'USD'],
  [/\bdollars?\b/gi, 'USD'],
  [/\bpounds?\s+sterling\b/gi, 'GBP'],
  [/\brupees?\b/gi, 'INR'],
  [/\bfrancs?\s+suisses?\b|\bschweizer\s+franken\b/gi, 'CHF'],
];

export interface CurrencyHit {
  code: string;
  index: number;
  /** A bare "$": any dollar currency. */
  bare?: boolean;
}

const DOLLARS = new Set(['USD', 'CAD', 'AUD', 'NZD', 'HKD', 'SGD', 'MXN', 'TWD']);

/** Bare "$" signs mean the dollar currency a document names explicitly (e.g. "Total (AUD) $3,520.00"). */
function resolveBareDollars(hits: CurrencyHit[]): CurrencyHit[] {
  const explicit = new Map<string, number>();
  for (const h of hits) if (!h.bare && DOLLARS.has(h.code) && h.code !== 'USD') explicit.set(h.code, (explicit.get(h.code) ?? 0) + 1);
  if (!explicit.size) return hits;
  const code = [...explicit].sort((a, b) => b[1] - a[1])[0][0];
  return hits.map((h) => (h.bare ? { ...h, code } : h));
}

/** Every currency mention in a string, in order. */
export function findCurrencies(text: string): CurrencyHit[] {
  const hits: CurrencyHit[] = [];
  const taken = new Set<number>();
  for (const m of text.matchAll(/(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])/g)) {
    if (ISO_CODES.has(m[1])) hits.push({ code: m[1], index: m.index });
  }
  for (const [re, code] of SYMBOLS) {
    for (const m of text.matchAll(re)) {
      if (taken.has(m.index)) continue;
      for (let i = m.index; i < m.index + m[0].length; i++) taken.add(i);
      hits.push({ code, index: m.index, bare: m[0] === '$' });
    }
  }
  for (const [re, code] of WORDS) for (const m of text.matchAll(re)) hits.push({ code, index: m.index });
  return hits.sort((a, b) => a.index - b.index);
}

/** The currency a piece of text names, if it names exactly one. */
export function currencyIn(text: string): string | null {
  const codes = new Set(resolveBareDollars(findCurrencies(text)).map((h) => h.code));
  return codes.size === 1 ? [...codes][0] : null;
}

/** Most frequent currency of a document, or null. */
export function dominantCurrency(text: string): string | null {
  const count = new Map<string, number>();
  for (const h of resolveBareDollars(findCurrencies(text))) count.set(h.code, (count.get(h.code) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [c, k] of count) {
    if (k > n) {
      best = c;
      n = k;
    }
  }
  return best;
}

// Country names and ISO country codes in addresses, for documents that print amounts without any
// currency sign. Only countries whose currency is unambiguous.
const COUNTRY_CURRENCY: [RegExp, string][] = [
  [/\b(?:united\s+states|u\.s\.a\.|usa)\b/i, 'USD'],
  [/\b(?:india|bharat)\b/i, 'INR'],
  [/\b(?:malaysia|selangor|johor|kuala\s+lumpur)\b/i, 'MYR'],
  [/\b(?:united\s+kingdom|great\s+britain|england|scotland|wales)\b/i, 'GBP'],
  [/\b(?:canada)\b/i, 'CAD'],
  [/\b(?:australia)\b/i, 'AUD'],
  [/\b(?:switzerland|schweiz|suisse|svizzera)\b/i, 'CHF'],
  [
    /\b(?:deutschland|germany|allemagne|france|frankreich|nederland|netherlands|pays-bas|belgi(?:um|e|que|en)|osterreich|österreich|austria|autriche|italia|italy|italie|espana|españa|spain|espagne|portugal|ireland|irlande|finland|suomi|luxembourg|luxemburg|greece|griechenland|slovakia|slovenia|estonia|latvia|lithuania|malta|cyprus|croatia|hrvatska)\b/i,
    'EUR',
  ],
];

/** Currency implied by the countries an invoice's addresses name (weak evidence). */
const US_STATES =
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY';
const US_ADDRESS = new RegExp(String.raw`\b(?:${US_STATES.split(' ').join('|')})\s+\d{5}(?:-\d{4})?\b`, 'g');
const CA_ADDRESS = /\b(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d\b/g;

export function currencyFromCountries(text: string): string | null {
  const count = new Map<string, number>();
  // "City, ST 12345" addresses (US) and "City, ON K1A 0B1" (Canada).
  const us = text.match(US_ADDRESS)?.length ?? 0;
  if (us) count.set('USD', us);
  const ca = text.match(CA_ADDRESS)?.length ?? 0;
  if (ca) count.set('CAD', ca);
  for (const [re, code] of COUNTRY_CURRENCY) {
    const n = text.match(new RegExp(re.source, 'gi'))?.length ?? 0;
    if (n) count.set(code, (count.get(code) ?? 0) + n);
  }
  let best: string | null = null;
  let n = 0;
  for (const [c, k] of count) if (k > n) [best, n] = [c, k];
  return best;
}
