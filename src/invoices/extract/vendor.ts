/**
 * The issuer: found from who the document says sells/gets paid (seller, "sold by", account holder,
 * payable to), from legal-form names (GmbH, Inc., SARL, B.V., …) in the header and legal lines,
 * from the sender line above an address window, and from the biggest header text, while names in
 * the bill-to / ship-to / customer blocks are ruled out.
 */
import { BUYER_LABEL, buyerZone, isOwnName, isSenderLine } from './buyer.ts';
import type { Layout, Row } from './layout.ts';
import { fold } from './text.ts';
import { tradingNameOf } from './trading-name.ts';
import {
  LEGAL,
  LEGAL_LINE,
  LEGAL_ONLY,
  SELLER_RE,
  cleanName,
  domains,
  legalName,
  looksLikeName,
  looksMisread,
  majoritySpelling,
  repairLegalForm,
} from './vendor-names.ts';

interface Cand {
  name: string;
  score: number;
}

/** Document titles: rows under the title and above the items are the addressee's, not the seller's. */
const TITLE =
  /^[\s\-–*~.]*(?:simplified\s+|commercial\s+|proforma\s+)?(?:tax\s*)?(?:invoice|receipt|rechnung|facture|factuur|factura|fattura|bill|cash\s*bill|credit\s*note|gutschrift|quittung|kassenbon|recu)\b/;
/** Lines that follow a company's name in a letterhead: address, registration, phone, tax number. */
const LETTERHEAD_LINE =
  /\b(?:lot|no|jalan|jln|street|st|strasse|str|rue|avenue|ave|road|rd|suite|unit|floor|p\.?\s*o\.?\s*box|postfach|tel|phone|fax|gst|vat|reg\w*|ust|siret|abn|co\.?\s*reg)(?![a-z])|\(\s*[\dA-Z]{4,}[-\s]?[a-z]?\s*\)|\d{4,}\s*-\s*[a-z]\b|\b\d{4,5}\s+[a-z]{3,}/i;

interface Scene {
  rows: Row[];
  zone: Set<string>;
  pageH: number;
  maxH: number;
  /** Index of the title row on page 1 (or -1). */
  titleIdx: number;
  /** Index of the first name-like row on page 1 (or -1). */
  firstNameIdx: number;
  /** Index of the header's first name directly above address/registration lines (or -1). */
  letterheadIdx: number;
}

function scene(layout: Layout, own: string[]): Scene {
  const rows = layout.rows;
  const firstPage = rows.filter((r) => r.page === 1);
  const pageH = firstPage[0]?.pageHeight ?? 842;
  const zone = buyerZone(layout, own);
  const top = firstPage.filter((r) => r.y < pageH * 0.5);
  const title = top.find((r) => r.cells.some((c) => c.text.length <= 40 && TITLE.test(fold(c.text))));
  const firstName = firstPage.find(
    (r) => r.y < pageH * 0.3 && !zone.has(`${r.idx}:0`) && looksLikeName(r.cells[0].text) && /[A-Za-zÀ-ÿ]{3}/.test(r.cells[0].text),
  );
  const sc: Scene = {
    rows,
    zone,
    pageH,
    maxH: Math.max(...firstPage.filter((r) => r.y < pageH * 0.35).map((r) => r.h), 0),
    titleIdx: title?.idx ?? -1,
    firstNameIdx: firstName?.idx ?? -1,
    letterheadIdx: -1,
  };
  const head = firstPage.find((r) => {
    if (!inHeader(sc, r) || zone.has(`${r.idx}:0`)) return false;
    const text = spacedPhrase(r) ?? r.cells[0].text;
    return (looksLikeName(text) || !!legalName(text)) && headsLetterhead(sc, r);
  });
  sc.letterheadIdx = head?.idx ?? -1;
  return sc;
}

/** Whether a page-1 row sits in the header, above the document's title (or in the top 30% without one). */
function inHeader(sc: Scene, r: Row): boolean {
  if (r.page !== 1) return false;
  return sc.titleIdx >= 0 ? r.idx < sc.titleIdx || (r.idx === sc.titleIdx && r.y < sc.pageH * 0.3) : r.y < sc.pageH * 0.3;
}

/** An unlabelled name under the title, before anything else: the addressee of the document. */
function underTitle(sc: Scene, r: Row): boolean {
  return r.page === 1 && sc.titleIdx >= 0 && r.idx > sc.titleIdx && sc.firstNameIdx >= 0 && sc.firstNameIdx < sc.titleIdx && r.y < sc.pageH * 0.5;
}

/**
 * A second name-and-address block below the letterhead, set apart from it (a blank line above it, or another
 * column): the addressee window of a letter-style invoice.
 */
function addresseeBlock(sc: Scene, r: Row): boolean {
  if (sc.letterheadIdx < 0 || r.idx <= sc.letterheadIdx || r.page !== 1 || !headsLetterhead(sc, r)) return false;
  const head = sc.rows[sc.letterheadIdx];
  const prev = neighbour(sc, r, -1);
  const apart = !prev || r.y - prev.y > 2.2 * Math.max(r.h, prev.h) || Math.abs(r.cells[0].x - head.cells[0].x) > 150;
  return apart && !(sc.titleIdx >= 0 && r.idx > sc.titleIdx + 3);
}

/** A name directly above its address or registration lines (the letterhead pattern). */
function headsLetterhead(sc: Scene, r: Row): boolean {
  const next = neighbour(sc, r, 1);
  if (!next || legalName(next.text)) return false;
  if (LETTERHEAD_LINE.test(next.text)) return true;
  // A name on two lines ("ADVANCO" / "COMPANY") heads the letterhead from its first line.
  const after = neighbour(sc, next, 1);
  return !!after && LETTERHEAD_LINE.test(after.text) && LEGAL_ONLY.test(next.text);
}

/** The nearest row above/below on the same page that has any text (OCR leaves specks as rows of their own). */
function neighbour(sc: Scene, r: Row, dir: 1 | -1): Row | undefined {
  for (let i = r.idx + dir; i >= 0 && i < sc.rows.length && Math.abs(i - r.idx) <= 3; i += dir) {
    const q = sc.rows[i];
    if (q.page !== r.page) return undefined;
    if (/[A-Za-z0-9]{2}/.test(q.text)) return q;
  }
  return undefined;
}

/**
 * A shop's trading name: the header's first name, of two words or more (not a logo word), printed at least as big
 * as the company name right under it that heads the letterhead ("LEMON TREE RESTAURANT" / "JTJ FOODS SDN BHD" /
 * registration / address).
 */
function tradingName(sc: Scene, r: Row): boolean {
  if (r.idx !== sc.firstNameIdx || !inHeader(sc, r) || sc.zone.has(`${r.idx}:0`)) return false;
  const text = spacedPhrase(r) ?? r.cells[0].text;
  if (legalName(text) || !looksLikeName(text) || cleanName(text).split(/\s+/).length < 2) return false;
  const next = neighbour(sc, r, 1);
  return !!next && next.idx === sc.letterheadIdx && !!legalName(next.text) && r.h >= 0.9 * next.h;
}

/** A line between two address lines ("Kawasan Perindustrian" between the street and the postcode) is address too. */
function insideAddress(sc: Scene, r: Row): boolean {
  const prev = neighbour(sc, r, -1);
  const next = neighbour(sc, r, 1);
  const addr = (q: Row | undefined) => !!q && q.page === r.page && LETTERHEAD_LINE.test(q.text) && !legalName(q.text);
  return addr(prev) && (addr(next) || /\b\d{4,6}\b/.test(r.text));
}

/** Names a seller label points at ("Sold by: …", "Remit to:" with the name right or below). */
function labelledSeller(sc: Scene, r: Row, ci: number, add: (n: string | null, s: number) => void): void {
  const c = r.cells[ci];
  const cf = fold(c.text);
  for (const sl of cf.matchAll(SELLER_RE)) {
    if (sl[0].startsWith('from') && sl.index > 0) continue;
    // "FROM (SUBCONTRACTOR):" — drop role words in parentheses.
    const rest = c.text.slice(sl.index + sl[0].length).replace(/^\s*\([^)]*\)\s*:?/, '');
    const legal = legalName(rest);
    if (legal) add(legal, 1.1);
    else if (looksLikeName(rest)) add(rest, 0.9);
    else if (!rest.trim()) {
      const right = r.cells[ci + 1];
      if (right && looksLikeName(right.text)) add(legalName(right.text) ?? right.text, 0.9);
      else {
        // First name-like line below.
        for (let i = r.idx + 1; i < Math.min(sc.rows.length, r.idx + 3); i++) {
          const below = sc.rows[i].cells.find((bc) => bc.x < c.x2 && bc.x2 > c.x && !/^\(/.test(bc.text));
          if (below && (legalName(below.text) || looksLikeName(below.text))) {
            add(legalName(below.text) ?? below.text, 0.85);
            break;
          }
        }
      }
    }
  }
}

/** Unlabelled evidence in one cell: sender line, legal-form names, big header text. */
function cellEvidence(sc: Scene, r: Row, ci: number, add: (n: string | null, s: number) => void, text = r.cells[ci].text): void {
  const header = inHeader(sc, r);
  // In the header, a name's legal form misread by OCR ("Sdn.Ehd") is read as the form it is.
  const c = { text: header ? repairLegalForm(text) : text };
  const addressee = underTitle(sc, r) || addresseeBlock(sc, r) ? -0.3 : 0;
  // Sender line above an address window: "Name GmbH - Street 1 - 12345 City".
  if (r.page === 1 && r.y < sc.pageH * 0.4 && isSenderLine(c.text)) add(c.text.split(/\s+[-–−|•·]\s+/)[0], 0.95);
  const legal = legalName(c.text);
  if (legal) {
    let s = 0.6 + addressee;
    if (header) s += 0.15;
    if (r.idx === sc.letterheadIdx) s += 0.1;
    if (LEGAL_LINE.test(fold(r.text))) s += 0.15;
    add(legal, s);
  }
  if (
    ci === 0 &&
    (header || (r.page === 1 && r.y < sc.pageH * 0.3)) &&
    looksLikeName(c.text) &&
    /[A-Za-zÀ-ÿ]{3}/.test(c.text) &&
    !BUYER_LABEL.test(fold(c.text))
  ) {
    const big = sc.maxH > 0 && r.h >= sc.maxH * 0.85 ? 0.15 : 0;
    const first = r.idx === sc.firstNameIdx ? 0.1 : 0;
    const letterhead = r.idx === sc.letterheadIdx ? 0.3 : 0;
    const address = insideAddress(sc, r) ? -0.4 : 0;
    add(c.text, 0.35 + big + first + letterhead + addressee + address);
  }
}

/** The text right of a label that OCR put on the line just above or below it (the nearest such line). */
function skewedValue(sc: Scene, r: Row): string | null {
  const label = r.cells[0];
  let best: { text: string; dy: number } | null = null;
  for (const dir of [-1, 1] as const) {
    const q = sc.rows[r.idx + dir];
    if (!q || q.page !== r.page) continue;
    const dy = Math.abs(q.y - r.y);
    if (dy > 0.9 * Math.max(q.h, r.h) || q.cells[0].x < label.x2 - 2) continue;
    if (!best || dy < best.dy) best = { text: q.cells[0].text, dy };
  }
  return best?.text ?? null;
}

/** A row's cells read as one phrase when they are only word gaps apart (null for a one-cell row). */
function spacedPhrase(r: Row): string | null {
  if (r.cells.length < 2 || r.cells.length > 7) return null;
  for (let i = 1; i < r.cells.length; i++) if (r.cells[i].x - r.cells[i - 1].x2 > 3 * r.h) return null;
  return r.cells.map((c) => c.text).join(' ');
}

function candidates(sc: Scene): Cand[] {
  const { rows, zone } = sc;
  const cands: Cand[] = [];
  const add = (name: string | null, score: number) => {
    if (!name) return;
    const n = cleanName(name);
    if (n.length >= 2) cands.push({ name: n, score });
  };
  // Seller sections ("Verkäufer" / "Seller" headers followed by "Name: …").
  let sellerSectionUntil = -1;
  for (const r of rows) {
    const f = fold(r.text);
    if (/^(?:verkaufer|seller|supplier|lieferant|fournisseur|vendeur|leverancier|verkoper|proveedor|fornitore)\b/.test(f) && r.cells.length <= 2) {
      sellerSectionUntil = r.idx + 10;
    } else if (BUYER_LABEL.exec(f)?.index === 0 || /^(?:kaufer|kunde|buyer|acheteur)/.test(f)) {
      sellerSectionUntil = -1;
    }
    if (r.idx <= sellerSectionUntil && /^(?:name|firma|company|raison\s*sociale|nom)\b/.test(f)) {
      const inline = r.cells.length > 1 ? r.cells[1].text : r.text.replace(/^[^:]*:/, '');
      // OCR of a skewed page can leave the value a little above or below its "Name:" label.
      add(inline.trim() ? inline : (skewedValue(sc, r) ?? null), 1.2);
    }
    r.cells.forEach((_, ci) => {
      if (zone.has(`${r.idx}:${ci}`)) return;
      labelledSeller(sc, r, ci, add);
      cellEvidence(sc, r, ci, add);
    });
    // Widely spaced print (and OCR of it) splits one name into cells: "MR.  D.I.Y.  (M)  SDN BHD".
    const phrase = spacedPhrase(r);
    if (phrase && !r.cells.some((_, ci) => zone.has(`${r.idx}:${ci}`))) cellEvidence(sc, r, 0, add, phrase);
    // The name on the sign above the company that runs the shop: the vendor as people know it.
    if (tradingName(sc, r)) add(phrase ?? r.cells[0].text, 1.0);
    // A short line right above a legal line ("NETPRESSE" / "Siège social : …").
    const next = rows[r.idx + 1];
    if (
      next &&
      next.page === r.page &&
      LEGAL_LINE.test(fold(next.text)) &&
      r.cells.length === 1 &&
      looksLikeName(r.text) &&
      !zone.has(`${r.idx}:0`)
    ) {
      add(r.text, 0.55);
    }
  }
  return cands;
}

export function pickVendor(layout: Layout, own: string[] = []): { value: string; conf: number; alternatives: string[] } | null {
  const rows = layout.rows;
  if (!rows.length) return null;
  const sc = scene(layout, own);
  const cands = candidates(sc).filter((c) => !own.length || !isOwnName(c.name, own));
  if (!cands.length) return null;
  const picked = rank(layout, sc, cands, own);
  // A legal entity the buyer never dealt with gives way to the name the business trades under (trading-name.ts).
  const trading = picked && tradingNameOf(layout, sc.zone, picked.value, (n) => own.length > 0 && isOwnName(n, own));
  if (!picked || !trading) return picked;
  return { ...picked, value: trading, alternatives: [picked.value, ...picked.alternatives.filter((a) => a !== trading)] };
}

function rank(layout: Layout, sc: Scene, cands: Cand[], own: string[]): { value: string; conf: number; alternatives: string[] } | null {
  const { rows, zone } = sc;
  const fullFolded = fold(layout.text);
  const doms = domains(layout.text).filter((d) => !own.length || !isOwnName(d, own));
  // Merge and boost: repetition across the document, matching web/e-mail domain; buyer names out.
  const buyerNames = new Set<string>();
  for (const key of zone) {
    const [ri, ci] = key.split(':').map(Number);
    const t = fold(rows[ri].cells[ci]?.text ?? '').replace(/[^a-z0-9]/g, '');
    if (t.length >= 3) buyerNames.add(t);
  }
  const merged = new Map<string, Cand>();
  for (const c of cands) {
    const k = fold(c.name).replace(/[^a-z0-9]/g, '');
    if (!k) continue;
    const prev = merged.get(k);
    if (!prev || c.score > prev.score) merged.set(k, { ...c, score: Math.max(c.score, prev?.score ?? 0) + (prev ? 0.05 : 0) });
  }
  const scored: { key: string; name: string; score: number; legal: boolean }[] = [];
  for (const [k, c] of merged) {
    let s = c.score;
    const core = fold(c.name.replace(new RegExp(`[\\s,]${LEGAL}\\.?$`, 'i'), '')).trim();
    const coreKey = core.replace(/[^a-z0-9]/g, '');
    if (coreKey.length >= 3) {
      const reps = fullFolded.split(core).length - 1;
      s += Math.min(0.2, 0.05 * Math.max(0, reps - 1));
      if (doms.some((d) => d.replace(/-/g, '').includes(coreKey) || (coreKey.includes(d.replace(/-/g, '')) && d.length >= 4))) s += 0.25;
    }
    if (buyerNames.has(k)) s -= 1;
    scored.push({ key: k, name: c.name, score: s, legal: legalName(c.name) !== null });
  }
  // A brand or logo line ("PONDEROSA") stands for the fuller legal name that contains it.
  for (const b of scored) {
    if (!b.legal || b.score < 0.5) continue;
    for (const a of scored) {
      if (a !== b && a.key.length >= 4 && b.key.startsWith(a.key) && a.score >= b.score) b.score = a.score + 0.01;
    }
  }
  let top: Cand | null = null;
  for (const c of scored) if (!top || c.score > top.score) top = { name: c.name, score: c.score };
  if (!top || top.score < 0.3) return null;
  const best = top;
  // Other names the seller goes by on the page (a brand beside the legal name, the web/e-mail domain): a company's
  // books may know the vendor by any of them, so the QuickBooks vendor match tries them after the best one.
  const alternatives = [
    ...scored
      .filter((c) => c.name !== best.name && c.score >= 0.5)
      .sort((a, b) => b.score - a.score)
      .slice(0, 4)
      .map((c) => c.name),
    ...doms.slice(0, 4),
  ];
  // Confidence: a clear winner over the runner-up, with seller or legal evidence, is worth trusting.
  const second = scored.filter((c) => c.name !== best.name).reduce((m, c) => Math.max(m, c.score), 0);
  const margin = Math.min(0.25, Math.max(0, best.score - second));
  const value = majoritySpelling(best.name, layout.text);
  const conf = Math.max(0.1, Math.min(looksMisread(value) ? 0.5 : 1, best.score / 1.3 + margin - 0.1));
  return { value, conf, alternatives };
}
