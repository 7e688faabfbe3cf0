/** Name rules for the vendor finder (vendor.ts): legal forms, seller labels, words that are not a name. */
import { collapse, fold } from './text.ts';
import { ISO_CODES } from './currency.ts';

export const LEGAL = String.raw`(?:gmbh\s*&\s*co\.?\s*kg|gmbh|ag|kg|ohg|gbr|ug|e\.\s?k\.|e\.\s?v\.|a\.\s?g\.|ltd\.?|limited|inc\.?|incorporated|llc|l\.l\.c\.|llp|lp|corp\.?|corporation|co\.|company|plc|pty\.?(?:\s*ltd\.?)?|pvt\.?\s*ltd\.?|private\s*limited|b\.\s?v\.|n\.\s?v\.|bvba|sas|sasu|sarl|eurl|s\.a\.s\.?|s\.a\.r\.l\.?|s\.a\.|sa|s\.p\.a\.|spa|s\.r\.l\.|srl|s\.l\.|sl|oy|ab|as|a\/s|aps|sp\.\s?z\s?o\.o\.|kft|zrt|sdn\.?\s*bhd\.?|bhd\.?|berhad|s\/b)`;
const LEGAL_NEXT = new RegExp(String.raw`^(?:,?\s*&?\s*)${LEGAL}(?=$|[\s,.;:)\-–])`, 'i');
export const LEGAL_ONLY = new RegExp(String.raw`^[\W_]*${LEGAL}[\W_]*$`, 'i');
const LEGAL_RE = new RegExp(String.raw`(?:^|[\s,])${LEGAL}(?=$|[\s,.;:)\-–])`, 'i');

const SELLER_LABEL =
  /\b(?:sold\s*by|seller|vendor|supplier|verkaufer|lieferant|anbieter|rechnungssteller|fournisseur|vendeur|emetteur|prestataire|leverancier|verkoper|proveedor|emisor|fornitore|service\s*provider|bill\s*from|invoice\s*from|remit\s*(?:payment\s*)?to|(?:make\s*(?:all\s*)?)?(?:checks?|cheques?|payments?)\s*(?:payable\s*)?to|payable\s*to|pay\s*to|in\s*favou?r\s*of|beneficiary|account\s*(?:holder|name)|kontoinhaber|zahlungsempfanger|titulaire\s*du\s*compte|rekeninghouder|ten\s*name\s*van|issued\s*by|subcontractor|from)\b\s*:?/;
export const SELLER_RE = new RegExp(SELLER_LABEL.source, 'g');
export const LEGAL_LINE =
  /\b(?:capital|rcs|siret|siren|registergericht|handelsregister|hrb|hra|amtsgericht|kvk|cin|regd|registered\s*(?:office|in)|siege\s*social|company\s*(?:registration|reg|no)|geschaftsfuhrer|vorstand|managing\s*director|iban|bic|swift|ust-?id|vat\s*(?:reg|no|number)|tva\s*intra|btw|copyright|©)\b/;
const NOT_NAME =
  /\b(?:invoice|rechnung|facture|factuur|factura|fattura|receipt|quittung|page|seite|date|datum|total|tel|phone|fax|email|e-mail|www|http|iban|bic|street|strasse|str\.|rue|avenue|road|suite|jalan|jln|lorong|taman|lot|blvd|boulevard|co\.?\s*reg|reg\.?\s*no|registration|please|bitte|veuillez|feedback|cashier|kassierer|caissier|operator|salesperson|served\s*by|welcome|p\.?o\.?\s*box|postfach|description|amount|qty|quantity|price|betrag|montant|tax|vat|mwst|ust|tva|btw|payment|zahlung|paiement|order|bestellung|commande|number|nummer|customer|kunde|client|bill\s*to|ship\s*to|original|copy|kopie|duplicate|statement|summary|details?|thank)\b|@|\d{3,}/;

/** Document titles and column headers, also when OCR glues their words ("APPLICATIONFORPAYMENT"). */
const NOT_NAME_GLUED =
  /application\s*for\s*payment|pay\s*application|quotation|estimate|angebot|devis|lieferschein|delivery\s*note|packing\s*slip|^(?:artikel|article|articulo|bezeichnung|beschreibung|designation|libelle|omschrijving|menge|anzahl|quantite|einzelpreis|unit\s*price|preis|prix|pos(?:ition)?|item)$/;

/** OCR's digits for letters inside a capitalised word ("D.1.Y." → "D.I.Y.", "C0NCRETE" → "CONCRETE"). */
const OCR_LETTER: Record<string, string> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B' };

export function cleanName(s: string): string {
  return collapse(
    s
      .replace(/(?<=[A-Z]\.?)[0158](?=\.?[A-Z])/g, (d) => OCR_LETTER[d])
      .replace(/^[\s:;,.\-–|*•]+/, '')
      .replace(/[\s:;,\-–|*•]+$/, '')
      .replace(/\s*\((?:authorized|authorised).*$/i, '')
      // A registration number after the name: "Shop Sdn Bhd (913144-A)", "Name <484297-M>".
      .replace(/\s*[(<{[][^)>}\]]*\d{4,}[^)>}\]]*(?:[)>}\]]|$)\s*$/, ''),
  );
}

/** The company name in a text: up to and including its legal form, at most ~6 words. */
export function legalName(text: string): string | null {
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

export function looksLikeName(s: string): boolean {
  const t = cleanName(s);
  if (t.length < 2 || t.length > 60) return false;
  if (!/[A-Za-zÀ-ÿ]{2}/.test(t)) return false;
  if (NOT_NAME.test(fold(t)) || NOT_NAME_GLUED.test(fold(t))) return false;
  // A currency code alone ("EUR" beside "Währung:").
  if (ISO_CODES.has(t.toUpperCase()) && t.length === 3) return false;
  if (t.split(/\s+/).length > 7) return false;
  if (!/^[A-ZÀ-Ý0-9"'(]/.test(t)) return false;
  return true;
}

export function domains(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:@|www\.|https?:\/\/(?:www\.)?)([a-z0-9-]{3,})\.[a-z.]{2,}/gi)) {
    const d = m[1].toLowerCase();
    if (!/^(?:gmail|yahoo|hotmail|outlook|gmx|web|t-online|icloud|aol|example|fake|mail)$/.test(d)) out.add(d);
  }
  return [...out];
}
