/**
 * The issuer: found from who the document says sells/gets paid (seller, "sold by", account holder,
 * payable to), from legal-form names (GmbH, Inc., SARL, B.V., …) in the header and legal lines,
 * from the sender line above an address window, and from the biggest header text, while names in
 * the bill-to / ship-to / customer blocks are ruled out.
 */
import type { Layout } from './layout.ts';
import { collapse, fold } from './text.ts';

const LEGAL =
  String.raw`(?:gmbh\s*&\s*co\.?\s*kg|gmbh|ag|kg|ohg|gbr|ug|e\.\s?k\.|e\.\s?v\.|a\.\s?g\.|ltd\.?|limited|inc\.?|incorporated|llc|l\.l\.c\.|llp|lp|corp\.?|corporation|co\.|company|plc|pty\.?(?:\s*ltd\.?)?|pvt\.?\s*ltd\.?|private\s*limited|b\.\s?v\.|n\.\s?v\.|bvba|sas|sasu|sarl|eurl|s\.a\.s\.?|s\.a\.r\.l\.?|s\.a\.|sa|s\.p\.a\.|spa|s\.r\.l\.|srl|s\.l\.|sl|oy|ab|as|a\/s|aps|sp\.\s?z\s?o\.o\.|kft|zrt)`;
const LEGAL_NEXT = new RegExp(String.raw`^(?:,?\s*&?\s*)${LEGAL}(?=$|[\s,.;:)\-–])`, 'i');
const LEGAL_RE = new RegExp(String.raw`(?:^|[\s,])${LEGAL}(?=$|[\s,.;:)\-–])`, 'i');

const SELLER_LABEL =
  /\b(?:sold\s*by|seller|vendor|supplier|verkaufer|lieferant|anbieter|rechnungssteller|fournisseur|vendeur|emetteur|prestataire|leverancier|verkoper|proveedor|emisor|fornitore|service\s*provider|bill\s*from|invoice\s*from|remit\s*(?:payment\s*)?to|(?:make\s*(?:all\s*)?)?(?:checks?|cheques?|payments?)\s*(?:payable\s*)?to|payable\s*to|pay\s*to|in\s*favou?r\s*of|beneficiary|account\s*(?:holder|name)|kontoinhaber|zahlungsempfanger|titulaire\s*du\s*compte|rekeninghouder|ten\s*name\s*van|issued\s*by|subcontractor|from)\b\s*:?/;
const SELLER_RE = new RegExp(SELLER_LABEL.source, 'g');
const BUYER_LABEL =
  /\b(?:bill(?:ed)?\s*to|ship(?:ped)?\s*to|sold\s*to|deliver(?:ed)?\s*to|invoice\s*to|customer|client|kunde|kunden|rechnungsempfanger|leistungsempfanger|rechnungsanschrift|lieferanschrift|lieferadresse|kaufer|buyer|purchaser|recipient|destinataire|facture\s*a|livre\s*a|adresse\s*de\s*(?:facturation|livraison)|factuuradres|afleveradres|klant|billing\s*address|shipping\s*address|delivery\s*address|guest(?:\s*name)?|attn|attention|to)\b\s*:?/;
const LEGAL_LINE =
  /\b(?:capital|rcs|siret|siren|registergericht|handelsregister|hrb|hra|amtsgericht|kvk|cin|regd|registered\s*(?:office|in)|siege\s*social|company\s*(?:registration|reg|no)|geschaftsfuhrer|vorstand|managing\s*director|iban|bic|swift|ust-?id|vat\s*(?:reg|no|number)|tva\s*intra|btw|copyright|©)\b/;
const NOT_NAME =
  /\b(?:invoice|rechnung|facture|factuur|factura|fattura|receipt|quittung|page|seite|date|datum|total|tel|phone|fax|email|e-mail|www|http|iban|bic|street|strasse|str\.|rue|avenue|road|suite|p\.?o\.?\s*box|postfach|description|amount|qty|quantity|price|betrag|montant|tax|vat|mwst|ust|tva|btw|payment|zahlung|paiement|order|bestellung|commande|number|nummer|customer|kunde|client|bill\s*to|ship\s*to|original|copy|kopie|duplicate|statement|summary|details?|thank)\b|@|\d{3,}/;

interface Cand {
  name: string;
  score: number;
}

function cleanName(s: string): string {
  return collapse(
    s
      .replace(/^[\s:;,.\-–|*•]+/, '')
      .replace(/[\s:;,\-–|*•]+$/, '')
      .replace(/\s*\((?:authorized|authorised).*$/i, ''),
  );
}

/** The company name in a text: up to and including its legal form, at most ~6 words. */
function legalName(text: string): string | null {
  for (const seg of text.split(/\s+[-–−|•·]\s+|\s{2,}|\t|;|\s+\|\s*/)) {
    const m = LEGAL_RE.exec(seg);
    if (!m) continue;
    // Legal forms are written capitalised ("Company", "GmbH"); "their company" is prose.
    const suffix = m[0].replace(/^[\s,]+/, '');
    if (!/^[A-Z]/.test(suffix)) continue;
    let end = m.index + m[0].length;
    // Chained forms: "ABC Supply Co., Inc.", "Müller GmbH & Co. KG".
    for (let more = LEGAL_NEXT.exec(seg.slice(end)); more && /[A-Z]/.test(more[0]); more = LEGAL_NEXT.exec(seg.slice(end))) end += more[0].length;
    let head = seg.slice(0, end).replace(/[,\s]+$/, '');
    // Drop a leading label ("Sold By :", "Regd. office:") and prose before the name.
    head = head.replace(/^.*:\s*/, '');
    const words = head.split(/\s+/);
    if (words.length > 7) {
      // Keep the trailing capitalised words before the legal form.
      const kept: string[] = [];
      for (let i = words.length - 1; i >= 0; i--) {
        const w = words[i];
        if (kept.length > 0 && !/^[A-ZÀ-Ý0-9&]/.test(w)) break;
        kept.unshift(w);
        if (kept.length >= 6) break;
      }
      head = kept.join(' ');
    }
    head = cleanName(head);
    if (head.length >= 3 && /[A-Za-zÀ-ÿ]{2}/.test(head.replace(new RegExp(LEGAL, 'ig'), ''))) return head;
  }
  return null;
}

function looksLikeName(s: string): boolean {
  const t = s.trim();
  if (t.length < 2 || t.length > 60) return false;
  if (!/[A-Za-zÀ-ÿ]{2}/.test(t)) return false;
  if (NOT_NAME.test(fold(t))) return false;
  if (t.split(/\s+/).length > 7) return false;
  if (!/^[A-ZÀ-Ý0-9"'(]/.test(t)) return false;
  return true;
}

function domains(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:@|www\.|https?:\/\/(?:www\.)?)([a-z0-9-]{3,})\.[a-z.]{2,}/gi)) {
    const d = m[1].toLowerCase();
    if (!/^(?:gmail|yahoo|hotmail|outlook|gmx|web|t-online|icloud|aol|example|fake|mail)$/.test(d)) out.add(d);
  }
  return [...out];
}

/** Rows and cells in bill-to / ship-to / customer blocks. */
function buyerZone(layout: Layout): Set<string> {
  const zone = new Set<string>();
  const rows = layout.rows;
  for (const r of rows) {
    r.cells.forEach((c, ci) => {
      const f = fold(c.text);
      const m = BUYER_LABEL.exec(f);
      if (!m || m.index > 2) return;
      zone.add(`${r.idx}:${ci}`);
      const lx = c.x - 10;
      const rx = Math.max(c.x2, c.x + 120);
      let n = 0;
      for (let i = r.idx + 1; i < rows.length && n < 6; i++) {
        const q = rows[i];
        if (q.page !== r.page || q.y - r.y > 9 * r.h) break;
        q.cells.forEach((qc, qi) => {
          if (qc.x < rx && qc.x2 > lx && qc.x >= lx) zone.add(`${q.idx}:${qi}`);
        });
        n++;
      }
    });
  }
  return zone;
}

export function pickVendor(layout: Layout): { value: string; conf: number; alternatives: string[] } | null {
  const rows = layout.rows;
  if (!rows.length) return null;
  const zone = buyerZone(layout);
  const fullFolded = fold(layout.text);
  const doms = domains(layout.text);
  const cands: Cand[] = [];
  const add = (name: string | null, score: number) => {
    if (!name) return;
    const n = cleanName(name);
    if (n.length < 2) return;
    cands.push({ name: n, score });
  };
  const firstPage = rows.filter((r) => r.page === 1);
  const pageH = firstPage[0]?.pageHeight ?? 842;
  const maxH = Math.max(...firstPage.filter((r) => r.y < pageH * 0.35).map((r) => r.h), 0);

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
      add(r.cells.length > 1 ? r.cells[1].text : r.text.replace(/^[^:]*:/, ''), 1.2);
    }
    r.cells.forEach((c, ci) => {
      const cf = fold(c.text);
      const key = `${r.idx}:${ci}`;
      const buyer = zone.has(key);
      // Explicit seller labels.
      for (const sl of buyer ? [] : cf.matchAll(SELLER_RE)) {
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
            for (let i = r.idx + 1; i < Math.min(rows.length, r.idx + 3); i++) {
              const below = rows[i].cells.find((bc) => bc.x < c.x2 && bc.x2 > c.x && !/^\(/.test(bc.text));
              if (below && (legalName(below.text) || looksLikeName(below.text))) {
                add(legalName(below.text) ?? below.text, 0.85);
                break;
              }
            }
          }
        }
      }
      if (buyer) return;
      // Sender line above an address window: "Name GmbH - Street 1 - 12345 City".
      const parts = c.text.split(/\s+[-–−|•·]\s+/);
      if (parts.length >= 3 && /\d{4,5}/.test(c.text) && r.page === 1 && r.y < pageH * 0.4) add(parts[0], 0.95);
      // Legal-form names.
      const legal = legalName(c.text);
      if (legal) {
        let s = 0.6;
        if (r.page === 1 && r.y < pageH * 0.3) s += 0.15;
        if (LEGAL_LINE.test(fold(r.text))) s += 0.15;
        add(legal, s);
      }
      // Big header text.
      if (r.page === 1 && r.y < pageH * 0.3 && ci === 0 && looksLikeName(c.text) && !BUYER_LABEL.test(cf)) {
        const big = maxH > 0 && r.h >= maxH * 0.85 ? 0.2 : 0;
        const top = r.idx === firstPage[0].idx ? 0.15 : 0;
        add(c.text, 0.35 + big + top);
      }
    });
    // A short line right above a legal line ("NETPRESSE" / "Siège social : …").
    const next = rows[r.idx + 1];
    if (next && next.page === r.page && LEGAL_LINE.test(fold(next.text)) && r.cells.length === 1 && looksLikeName(r.text) && !zone.has(`${r.idx}:0`)) {
      add(r.text, 0.55);
    }
  }
  if (!cands.length) return null;

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
  let best: Cand | null = null;
  for (const c of scored) if (!best || c.score > best.score) best = { name: c.name, score: c.score };
  if (!best || best.score < 0.3) return null;
  // Other names the seller goes by on the page (a brand beside the legal name, the web/e-mail domain): a company's
  // books may know the vendor by any of them, so the QuickBooks vendor match tries them after the best one.
  const alternatives = [
    ...scored.filter((c) => c.name !== best!.name && c.score >= 0.5).sort((a, b) => b.score - a.score).slice(0, 4).map((c) => c.name),
    ...doms.slice(0, 4),
  ];
  return { value: best.name, conf: Math.max(0.1, Math.min(1, best.score / 1.3)), alternatives };
}
