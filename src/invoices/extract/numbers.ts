/**
 * Money amounts in the formats invoices print: 1,234.56 / 1.234,56 / 1 234,56 / 1'234.56 / 1234 /
 * -12.50 / (12.50) / 12.50- , with or without a currency sign next to them.
 */

export type DecimalMark = '.' | ',';

export interface AmountMatch {
  value: number;
  start: number;
  end: number;
  raw: string;
  /** Has exactly two decimals (the usual shape of a money amount). */
  cents: boolean;
}

// A number with optional thousands grouping (",", ".", "'", narrow/normal spaces) and decimals.
const NUM = String.raw`(?:\d{1,3}(?:(?:[,.'’]|[\u00a0\u202f ](?=\d{3}(?!\d)))\d{3})+(?:[.,]\d{1,4})?|\d+(?:[.,]\d{1,4})?)`;
const AMOUNT_RE = new RegExp(String.raw`(\(\s*)?([-−–]\s?)?` + NUM + String.raw`(-(?![\d]))?(\s*\))?`, 'g');

/**
 * Parses one number string. With a single separator followed by exactly three digits ("1,234",
 * "1.234") the document's decimal mark decides.
 */
export function parseNumber(raw: string, mark: DecimalMark = '.'): number | null {
  let s = raw.trim().replace(/[\u00a0\u202f ’']/g, '');
  let neg = false;
  if (/^\(.*\)$/.test(s)) {
    neg = true;
    s = s.slice(1, -1);
  }
  if (/^[-−–]/.test(s)) {
    neg = true;
    s = s.slice(1);
  }
  if (/-$/.test(s)) {
    neg = true;
    s = s.slice(0, -1);
  }
  if (!/^\d[\d.,]*$/.test(s)) return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let dec: DecimalMark | null = null;
  if (lastDot >= 0 && lastComma >= 0) dec = lastDot > lastComma ? '.' : ',';
  else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const count = s.split(sep).length - 1;
    const after = s.length - s.lastIndexOf(sep) - 1;
    if (count > 1)
      dec = null; // repeated: grouping only
    else if (after !== 3) dec = sep;
    else dec = sep === mark ? sep : null;
  }
  let norm: string;
  if (dec === null) norm = s.replace(/[.,]/g, '');
  else {
    const group = dec === '.' ? ',' : '.';
    norm = s.split(group).join('');
    if (norm.split(dec).length - 1 > 1) return null;
    norm = norm.replace(dec, '.');
  }
  const v = Number(norm);
  if (!Number.isFinite(v)) return null;
  return neg ? -v : v;
}

/**
 * OCR reads 0 as O/o and 1 as l/I inside numbers ("1O.50", "l2.00", "3.O0"): such letters between digits, or
 * between a digit and a decimal separator, are read as digits (same length, offsets unchanged).
 */
export function ocrNumberDigits(text: string): string {
  if (!/[OolI]/.test(text)) return text;
  return text.replace(
    /(?<=\d|\d[.,])[OolI](?=[OolI]*(?:\d|[.,]\d))|(?<=\d[.,]\d?)[OolI](?![A-Za-z])|(?<![A-Za-z])[OolI](?=\d*[.,]\d{2}(?!\d))/g,
    (c) => (c === 'O' || c === 'o' ? '0' : '1'),
  );
}

/**
 * OCR of a photo often sees a gap after the decimal mark ("238. 87", "18, 99"): the cents are joined back when the
 * mark is the document's own and exactly two digits follow (the gap moves after them: same length, offsets kept).
 * A numbered list ("1. 25 bags") is left alone: its number has no digit before the mark's run of 2+ digits.
 */
export function joinSplitCents(text: string, mark: DecimalMark): string {
  if (!text.includes(`${mark} `)) return text;
  const re = mark === '.' ? /(?<=\d\d)\. (\d{2})(?![\d.,])/g : /(?<=\d\d), (\d{2})(?![\d.,])/g;
  return text.replace(re, `${mark}$1 `);
}

/** All numbers in a string that could be amounts (dates, percentages and long ids excluded). */
export function findAmounts(text: string, mark: DecimalMark = '.'): AmountMatch[] {
  text = joinSplitCents(ocrNumberDigits(text), mark);
  const out: AmountMatch[] = [];
  AMOUNT_RE.lastIndex = 0;
  for (let m = AMOUNT_RE.exec(text); m; m = AMOUNT_RE.exec(text)) {
    let raw = m[0];
    let start = m.index;
    // Parentheses only count as a negative sign when balanced.
    if (m[1] && !m[4]) {
      raw = raw.slice(m[1].length);
      start += m[1].length;
    }
    if (!m[1] && m[4]) raw = raw.slice(0, raw.length - m[4].length);
    const end = start + raw.length;
    const before = text.slice(Math.max(0, start - 1), start);
    const after = text.slice(end, end + 2);
    // Part of a word, a date, a time, a percentage or an identifier.
    // A currency written against the number ("RM10.50", "EUR12,00") still leaves it an amount.
    const glued =
      /(?:^|[^A-Za-z])(?:RM|Rs|EUR|USD|GBP|CHF|CAD|AUD|MYR|SGD|INR)$/.test(text.slice(Math.max(0, start - 5), start)) && /[.,]\d{2}$/.test(raw);
    if ((/[A-Za-z0-9_/]/.test(before) && !glued) || /^[A-Za-z_/]/.test(after) || /^[.,:\-/]\d/.test(after)) continue;
    if (/^\s?%/.test(after)) continue;
    if (/[.:/-]$/.test(before) && /\d/.test(text.slice(Math.max(0, start - 3), start - 1))) continue;
    const digits = raw.replace(/\D/g, '');
    if (digits.length > 13) continue;
    let value = parseNumber(raw, mark);
    if (value === null) continue;
    // Sign written before the currency: "-$412.35", "− € 12,00", "-EUR 5.00".
    if (value > 0 && /[-−–]\s?(?:[€$£¥₹]|[A-Z]{3}|Rs\.?)\s?$/.test(text.slice(Math.max(0, start - 6), start))) value = -value;
    out.push({ value, start, end, raw, cents: /[.,]\d{2}(?:\D*)$/.test(raw.replace(/[-)\s]+$/, '')) });
  }
  return out;
}

/**
 * The decimal mark a document uses, from its unambiguous amounts ("12,50", "1.234,56" → comma).
 */
export function detectDecimalMark(text: string): DecimalMark {
  let dot = 0;
  let comma = 0;
  for (const m of text.matchAll(/\d[.,]\d{3}[.,]\d{2}(?!\d)|(?<![\d.,])\d{1,3}[.,]\d{2}(?![\d.,])/g)) {
    const s = m[0];
    const last = s[s.length - 3];
    if (last === '.') dot++;
    else if (last === ',') comma++;
  }
  return comma > dot ? ',' : '.';
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Words before a number that make it an identifier: registration, phone, tax id, bank, order/PO, postcode. */
const ID_BEFORE =
  /(?:\b(?:capital\w*(?:\s*social)?(?:\s*de)?|stammkapital|grundkapital|share\s*capital|hrb|hra|hr\s*[ab]|siren|siret|rcs|naf|ape|handelsregister|registergericht|amtsgericht|kvk|cin|company\s*(?:no|number|reg\w*)|reg(?:istration|istered|d)?\.?\s*(?:no|number|nr)|co\.?\s*reg(?:\.?\s*no)?|tel\w*|phone|fax|mobile?|h\/?p(?=\s*:)|whatsapp|iban|bic|swift|blz|sort\s*code|account(?:\s*(?:no|number|#))?|konto\w*|vat\s*(?:reg\w*|no|number|id)|tax\s*(?:id|no|number|reg\w*)|ust-?\s*id\w*|ust\.?\s*-?\s*id\w*|steuer\s*-?\s*(?:nr|nummer)|st\.?\s*-?\s*nr|gst\s*(?:id|no|reg\w*)|abn|acn|ein|p\.?\s*o\.?|purchase\s*order|order|bestell\w*|auftrag\w*|commande|kunden\w*|customer\s*(?:no|id|number|#)|plz|zip|postcode|postal\s*code|invoice\s*(?:no|number|#)|receipt\s*(?:no|#)|doc\s*no|ref(?:erence|erenz)?)[\s.:#°º/-]*(?:no\.?|nr\.?|number)?[\s.:#°º-]*(?:[a-z]{2}[\s-]?)?(?:\d[\d\s./-]*\s)?)$/;
const CURRENCY_WORD = /^\s*(?:[A-Z]{3}\b|euros?\b|dollars?\b|€|\$|£)/i;

/**
 * Whether the number at text[start, end) is an identifier rather than an amount: introduced by a registration,
 * phone, tax-id, bank, order or postcode word, or shaped like a postcode before a city ("79100 Freiburg",
 * "WA 98109").
 */
export function isIdentifier(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  // OCR glues words ("Sarlaucapitalde 10000€"): the capital word counts inside a longer one too.
  const f = before
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/(?<=[a-z])(?=capital)/g, ' ');
  if (ID_BEFORE.test(f)) return true;
  const raw = text.slice(start, end);
  if (!/^\d{4,6}$/.test(raw)) return false;
  const after = text.slice(end, end + 20);
  if (CURRENCY_WORD.test(after)) return false;
  return /^,?\s+[A-ZÀ-Ý][A-Za-zÀ-ÿ]{2,}/.test(after) || /\b[A-Z]{2}\s*$/.test(before) || /\b[A-Z]-\s*$/.test(before);
}
