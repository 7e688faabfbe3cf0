/**
 * Line items: rows under a table header (description / quantity / price / amount columns, in any
 * of the supported languages) whose right-most cell is an amount, up to the totals block.
 */
import type { ExtractedLine } from './types.ts';
import type { Layout } from './layout.ts';
import { type DecimalMark, findAmounts, parseNumber } from './numbers.ts';
import { fold } from './text.ts';

const COL_DESC =
  /\b(?:description|item|article|artikel|beschreibung|bezeichnung|leistung|designation|libelle|omschrijving|product|produit|descripcion|descrizione|service|details?|particulars|title)\b/;
const COL_QTY = /\b(?:qty|quantity|menge|anzahl|quantite|qte|aantal|hoeveelheid|cantidad|quantita|units?|hours|hrs|nombre|stk)\b/;
const COL_PRICE = /\b(?:unit\s*price|price|rate|preis|einzelpreis|prix|p\.?u\.?|prijs|precio|prezzo|tarif|cost)\b/;
const COL_AMOUNT =
  /\b(?:amount|total|betrag|gesamt|montant|bedrag|importe|importo|line\s*total|ext(?:ended)?\.?\s*(?:price|amount)?|net|netto|zeilenbetrag|nettobetrag|prix\s*ht)\b/;
const STOP =
  /\b(?:sub\s*-?\s*total|subtotaal|zwischensumme|sous-?\s*total|total|totaal|summe|gesamtbetrag|montant\s*ht|tax|vat|mwst|tva|btw|balance|amount\s*due|belegsummen|umsatzsteuer)\b/;

/**
 * @param stopRows rows holding a total / subtotal / tax label (from the label finder): the table ends there.
 */
export function extractLines(layout: Layout, mark: DecimalMark, stopRows: Set<number> = new Set()): ExtractedLine[] {
  const rows = layout.rows;
  const out: ExtractedLine[] = [];
  let inTable = false;
  let amountX = 0;
  let descLimit = Infinity;
  let qtyX: number | null = null;
  let priceX: number | null = null;
  for (const r of rows) {
    const f = fold(r.text);
    const kinds = [COL_DESC, COL_QTY, COL_PRICE, COL_AMOUNT].filter((re) => re.test(f)).length;
    if (kinds >= 2 && r.cells.length >= 2 && !/\d[.,]\d{2}/.test(r.text)) {
      inTable = true;
      amountX = r.cells[r.cells.length - 1].x2;
      // Item rows start in the left part of the table; totals blocks sit under the number columns.
      descLimit = r.cells[0].x + 0.4 * (amountX - r.cells[0].x);
      // Where the quantity and unit-price columns are, when the header names them in their own cells.
      const centre = (c: { x: number; x2: number }) => (c.x + c.x2) / 2;
      const qc = r.cells.find((c) => COL_QTY.test(fold(c.text)) && !COL_PRICE.test(fold(c.text)));
      const pc = r.cells.find((c) => COL_PRICE.test(fold(c.text)) && !COL_QTY.test(fold(c.text)) && c !== r.cells[r.cells.length - 1]);
      qtyX = qc ? centre(qc) : null;
      priceX = pc ? centre(pc) : null;
      continue;
    }
    if (!inTable) continue;
    const hasAmount = findAmounts(r.text, mark).length > 0;
    if (
      hasAmount &&
      (stopRows.has(r.idx) ||
        STOP.test(fold(r.cells[0].text)) ||
        (r.cells.length <= 3 && STOP.test(f) && !/[a-z]{4,}.*[a-z]{4,}.*\d/.test(f.replace(STOP, ''))))
    ) {
      inTable = false;
      continue;
    }
    if (r.cells[0].x > descLimit) continue;
    const last = r.cells[r.cells.length - 1];
    if (r.cells.length < 2 || Math.abs(last.x2 - amountX) > 60) continue;
    const lastAmounts = findAmounts(last.text, mark);
    if (!lastAmounts.length) continue;
    const amount = lastAmounts[lastAmounts.length - 1].value;
    const descCells = r.cells.filter((c) => /[A-Za-zÀ-ÿ]{3}/.test(c.text) && !/^[\d\s.,%€$£]+$/.test(c.text));
    if (!descCells.length) continue;
    const description = descCells
      .map((c) => c.text)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    const nums: number[] = [];
    const numCells: { v: number; x: number }[] = [];
    for (const c of r.cells.slice(0, -1)) {
      if (descCells.includes(c)) continue;
      // A number with at most a currency sign or a short unit ("1.00 kg", "$ 42.00", "20 Stk").
      const m = /^(?:[€$£¥₹]|[A-Z]{3})?\s*(-?[\d.,' ]+)\s*(?:[A-Za-z€$£.()]{0,8}\s*){0,2}$/.exec(c.text);
      if (!m || /%/.test(c.text)) continue;
      const v = parseNumber(m[1], mark);
      if (v !== null) {
        nums.push(v);
        numCells.push({ v, x: (c.x + c.x2) / 2 });
      }
    }
    const line: ExtractedLine = { description, amount };
    pairQuantityPrice(line, nums, numCells, qtyX, priceX);
    out.push(line);
  }
  return out;
}

/** Sets `line`'s quantity and unit price: by header column first, else any two numbers whose product is the amount. */
function pairQuantityPrice(
  line: ExtractedLine,
  nums: number[],
  numCells: { v: number; x: number }[],
  qtyX: number | null,
  priceX: number | null,
): void {
  const amount = line.amount;
  // By column: the number nearest the "Qty" and "Price" headers, when their product is the amount.
  if (qtyX !== null && priceX !== null && numCells.length >= 2) {
    const near = (x: number) => numCells.reduce((b, n) => (Math.abs(n.x - x) < Math.abs(b.x - x) ? n : b));
    const q = near(qtyX);
    const p = near(priceX);
    if (q !== p && Math.abs(q.v * p.v - amount) <= Math.max(0.011, Math.abs(amount) * 0.001)) {
      line.quantity = q.v;
      line.unitPrice = p.v;
    }
  }
  // Find quantity × unit price = amount among the numbers.
  for (let i = 0; i < nums.length && line.quantity === undefined && amount !== 0; i++) {
    if (qtyX !== null && priceX !== null && numCells.length >= 2) break;
    for (let j = 0; j < nums.length; j++) {
      if (i === j) continue;
      if (Math.abs(nums[i] * nums[j] - amount) <= Math.max(0.011, Math.abs(amount) * 0.001)) {
        line.quantity = nums[i];
        line.unitPrice = nums[j];
        break;
      }
    }
  }
  if (line.quantity === undefined && nums.length === 1 && Math.abs(nums[0] - amount) < 0.005) line.unitPrice = nums[0];
}

const QTY_X_PRICE = /(?<![\d.,])(\d{1,4}(?:[.,]\d{1,3})?)\s*[xX×*@]\s*(?:RM|\$|€|£)?\s*(\d{1,7}[.,]\d{2,4})(?![\d])/;
const PRICE_X_QTY = /(?<![\d.,])(\d{1,7}[.,]\d{2,4})\s*[xX×*]\s*(\d{1,4})(?![\d.,])/;
/** Words of rows that are not items (payment, discounts, counts). */
const NOT_ITEM =
  /\b(?:cash|change|card|visa|tender\w*|discount|rabatt|remise|saving|item\(?s\)?|qty\(?s\)?|total\s*qty|no\s*of\s*items|rounding|points?|balance|paid|deposit|cashier|kassierer|caissier|operator|staff|served|salesperson|waiter|table|counter|member|tel|fax|pos|receipt|invoice|rechnung|facture|date|datum|time|doc\s*no|ref)\b/;

function describe(cells: { text: string }[]): string {
  return cells
    .map((c) => c.text)
    .filter((t) => /[A-Za-zÀ-ÿ]{3}/.test(t))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Items of a document without a table header (counter receipts, short invoices): in the rows between the
 * header and the first totals row, each row whose right-most amount sits in the amount column is an item; its
 * description is the row's words, or the words on the rows above it since the previous item (receipts print
 * the name on one line and "2 X 23.90   47.80" on the next). The caller keeps them only when they add up.
 */
export function extractLooseLines(layout: Layout, mark: DecimalMark, from: number, to: number): ExtractedLine[] {
  const rows = layout.rows.slice(from + 1, to).filter((r) => r.page === layout.rows[to]?.page);
  if (!rows.length) return [];
  const right = Math.max(...rows.map((r) => r.cells[r.cells.length - 1].x2));
  const left = Math.min(...rows.map((r) => r.cells[0].x));
  const out: ExtractedLine[] = [];
  let pending: string[] = [];
  for (const r of rows) {
    const f = fold(r.text);
    // The amount: the right-most cell with an amount with cents, allowing a short tax code after it ("SR", "*S").
    const cells = [...r.cells];
    while (cells.length > 1 && /^[^\d]{1,3}$/.test(cells[cells.length - 1].text.trim())) cells.pop();
    const last = cells[cells.length - 1];
    const amounts = findAmounts(last.text, mark).filter((a) => a.cents);
    const isItem = amounts.length > 0 && last.x2 >= left + 0.6 * (right - left) && !NOT_ITEM.test(f);
    if (!isItem) {
      if (NOT_ITEM.test(f)) pending = [];
      else if (!findAmounts(r.text, mark).some((a) => a.cents) && /[A-Za-zÀ-ÿ]{3}/.test(r.text)) pending = [...pending, describe(r.cells)].slice(-2);
      continue;
    }
    const amount = amounts[amounts.length - 1].value;
    const own = describe(cells.slice(0, -1).filter((c) => !/^[\d\s.,xX×*@$€£RM]+$/.test(c.text)));
    const line: ExtractedLine = { description: own || pending.join(' '), amount };
    pending = [];
    const qp = QTY_X_PRICE.exec(r.text);
    const pq = qp ? null : PRICE_X_QTY.exec(r.text);
    const q = qp ? parseNumber(qp[1], mark) : pq ? parseNumber(pq[2], mark) : null;
    const p = qp ? parseNumber(qp[2], mark) : pq ? parseNumber(pq[1], mark) : null;
    if (q !== null && p !== null && Math.abs(q * p - amount) <= Math.max(0.011, Math.abs(amount) * 0.001)) {
      line.quantity = q;
      line.unitPrice = p;
    }
    if (line.description) out.push(line);
  }
  return out;
}
