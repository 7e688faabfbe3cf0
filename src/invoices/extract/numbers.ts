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
const NUM =
  String.raw`(?:\d{1,3}(?:(?:[,.'’]|[\u00a0\u202f ](?=\d{3}(?!\d)))\d{3})+(?:[.,]\d{1,4})?|\d+(?:[.,]\d{1,4})?)`;
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
    if (count > 1) dec = null; // repeated: grouping only
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

/** All numbers in a string that could be amounts (dates, percentages and long ids excluded). */
export function findAmounts(text: string, mark: DecimalMark = '.'): AmountMatch[] {
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
    if (/[A-Za-z0-9_/]/.test(before) || /^[A-Za-z_/]/.test(after) || /^[.,:\-/]\d/.test(after)) continue;
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
