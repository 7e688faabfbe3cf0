/**
 * Where the buyer is on a page, so that its name is never taken for the vendor:
 * - blocks labelled Bill to / Ship to / Customer / Rechnungsempfänger / Facturé à … (the label's cell and
 *   the lines under it in the same column);
 * - the workspace's own company (QuickBooks CompanyName/LegalName, the Slack team's name), wherever it is printed,
 *   with the address lines under it;
 * - the addressee window of a letter-style invoice: the block under a one-line sender line
 *   ("Name GmbH · Street 1 · 12345 City").
 */
import type { Layout, Row } from './layout.ts';
import { fold } from './text.ts';

export const BUYER_LABEL =
  /\b(?:bill(?:ed)?\s*to|ship(?:ped)?\s*to|sold\s*to|deliver(?:ed)?\s*to|invoice\s*to|customer|client|kunde|kunden|rechnungsempfanger|leistungsempfanger|rechnungsanschrift|lieferanschrift|lieferadresse|kaufer|buyer|purchaser|recipient|destinataire|facture\s*a|factur[eé]\s*a|livre\s*a|adresse\s*de\s*(?:facturation|livraison)|factuuradres|afleveradres|klant|aan|spett\.?\s*le|spettabile|billing\s*address|shipping\s*address|delivery\s*address|guest(?:\s*name)?|attn|attention|to)\b\s*:?/;

/** Legal forms and filler words dropped when comparing company names. */
const SUFFIX =
  /\b(?:gmbh|mbh|ag|kg|ohg|gbr|ug|ek|ev|ltd|limited|inc|incorporated|llc|llp|lp|corp|corporation|co|company|plc|pty|pvt|private|bv|nv|bvba|sas|sasu|sarl|eurl|sa|spa|srl|sl|oy|ab|as|aps|kft|zrt|sdn|bhd|the|and)\b/g;

/** A company name reduced for comparison: case, accents, punctuation and legal suffixes ignored. */
export function companyKey(name: string): string {
  return fold(name)
    .replace(/&/g, ' and ')
    .replace(/\b([a-z])\.(?=[a-z]\.)/g, '$1')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(SUFFIX, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a name is one of the workspace's own (equal keys, or one key's words inside the other's). */
export function isOwnName(name: string, own: string[]): boolean {
  const k = companyKey(name);
  if (k.length < 2) return false;
  return own.some((o) => {
    const ok = companyKey(o);
    if (ok.length < 2) return false;
    if (ok === k) return true;
    // "Ridgeline Builders" inside "Ridgeline Builders Seattle Office": the shorter needs two words to count.
    const [short, long] = ok.length <= k.length ? [ok, k] : [k, ok];
    return short.includes(' ') && ` ${long} `.includes(` ${short} `);
  });
}

/**
 * Marks the cell and the lines under it in the same column (an address block) as the buyer's. With `tight`,
 * the block ends at the first blank line (a gap of more than about two lines).
 */
function markBlock(zone: Set<string>, rows: Row[], r: Row, ci: number, maxRows = 6, tight = false): void {
  const c = r.cells[ci];
  zone.add(`${r.idx}:${ci}`);
  const lx = c.x - 10;
  const rx = Math.max(c.x2, c.x + 120);
  let n = 0;
  let lastY = r.y;
  for (let i = r.idx + 1; i < rows.length && n < maxRows; i++) {
    const q = rows[i];
    if (q.page !== r.page || q.y - r.y > 9 * r.h) break;
    if (tight && q.y - lastY > 2.2 * Math.min(r.h, q.h) + 4) break;
    lastY = q.y;
    q.cells.forEach((qc, qi) => {
      if (qc.x < rx && qc.x2 > lx && qc.x >= lx) zone.add(`${q.idx}:${qi}`);
    });
    n++;
  }
}

/** A one-line sender address above a window: three or more parts, one with a postcode. */
export function isSenderLine(text: string): boolean {
  const parts = text.split(/\s+[-–−|•·]\s+/);
  return parts.length >= 3 && /[A-Za-zÀ-ÿ]{3}/.test(parts[0]) && /\b\d{4,5}\s+[A-ZÀ-Ý][a-zà-ÿ]/.test(text);
}

/** "row:cell" keys of the cells in buyer blocks. */
export function buyerZone(layout: Layout, own: string[] = []): Set<string> {
  const zone = new Set<string>();
  const rows = layout.rows;
  for (const r of rows) {
    r.cells.forEach((c, ci) => {
      const f = fold(c.text);
      const m = BUYER_LABEL.exec(f);
      if (m && m.index <= 2) {
        markBlock(zone, rows, r, ci);
        return;
      }
      if (own.length && isOwnName(c.text.replace(/^[^:]{0,20}:\s*/, ''), own)) {
        markBlock(zone, rows, r, ci, 4, true);
        return;
      }
      // The window under a sender line: the next lines starting within the sender line's extent.
      if (r.page === 1 && r.y < r.pageHeight * 0.45 && isSenderLine(c.text)) {
        for (let i = r.idx + 1; i < rows.length && i <= r.idx + 2; i++) {
          const q = rows[i];
          if (q.page !== r.page || q.y - r.y > 6 * Math.max(r.h, q.h)) break;
          const qi = q.cells.findIndex((qc) => qc.x >= c.x - 10 && qc.x < c.x2);
          if (qi >= 0) {
            markBlock(zone, rows, q, qi, 5, true);
            break;
          }
        }
      }
    });
  }
  return zone;
}
