/** Name rules for the vendor finder (vendor.ts): legal forms, seller labels, words that are not a name. */
import { collapse, fold } from './text.ts';
import { ISO_CODES } from './currency.ts';
import { LETTER_FOR_DIGIT, lettersConfused, lookAlikes } from './look-alike.ts';

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

/** Legal forms OCR misreads at the end of a shop's name ("Sdn.Ehd", "MART5/8"), as they are written. */
const OCR_FORMS = ['Sdn Bhd', 'S/B', 'GmbH', 'LLC', 'Inc'];

const escapeClass = (s: string) => s.replace(/[\\\]^$-]/g, '\\$&');
const OCR_FORM_RES = OCR_FORMS.map((form) => {
  const parts = [...form].map((ch) => {
    if (ch === ' ') return String.raw`[\s.]*`;
    if (ch === '/') return '/';
    const k = ch.toLowerCase();
    // What OCR reads for the letter even on clean print (the form is repaired on no other evidence).
    const alike = lookAlikes(k, (c) => c.sharp).join('');
    return `[${escapeClass(k + k.toUpperCase() + alike + alike.toUpperCase())}]`;
  });
  // After a name word (glued to it for a slashed form, which OCR often does), before the end or a registration number.
  const before = form.includes('/') ? String.raw`(?<=[A-Za-z]{2}[.,]?\s*)` : String.raw`(?<=[A-Za-z]{2}[.,]?\s+)`;
  return { form, re: new RegExp(`${before}${parts.join('')}(?=\\s*(?:$|[(<[{]))`, 'g') };
});

const GLUED_FORM = /(?<=\p{Ll}{3})(?=(?:B\.V\.|N\.V\.|S\.A\.|S\.L\.|S\.p\.A\.|S\.r\.l\.|GmbH|Ltd\.?|Inc\.?|LLC|Pty|Sdn)(?=$|[\s,(]))/gu;

/**
 * A legal form at the end of a name that OCR misread letter by look-alike letter is still that form
 * ("Segi Cash & Carry Sdn.Ehd" → "… Sdn.Bhd", "99 SPEED MART5/8" → "99 SPEED MART S/B"): one misread letter per
 * word of the form, or a slashed form ("S/B") glued to the name's last word. Letters read right keep their case.
 */
export function repairLegalForm(text: string): string {
  // A capitalised legal form OCR glued to the name's last word ("CoolblueB.V.", "LieferantGmbH").
  let out = text.replace(GLUED_FORM, ' ');
  for (const { form, re } of OCR_FORM_RES) {
    out = out.replace(re, (m, offset: number) => {
      const glued = offset > 0 && /[A-Za-z]/.test(out[offset - 1]);
      const words = m.split(/(?<=[\s./])(?=[^\s./])/);
      const forms = form.split(/[\s/]/);
      if (words.length !== forms.length) return m;
      let wrong = 0;
      let most = 0;
      const fixed = words.map((w, wi) => {
        const want = forms[wi];
        const upper = !/\p{Ll}/u.test(w);
        let bad = 0;
        const spelled = [...w]
          .map((ch, i) => {
            if (i >= want.length) return ch;
            if (ch.toLowerCase() === want[i].toLowerCase()) return ch;
            bad++;
            // A misread letter keeps its case inside a word; a digit takes the word's case, a first letter the form's.
            if (/\p{L}/u.test(ch) && i > 0) return /\p{Ll}/u.test(ch) ? want[i].toLowerCase() : want[i].toUpperCase();
            return i === 0 ? want[i] : upper ? want[i].toUpperCase() : want[i];
          })
          .join('');
        wrong += bad;
        most = Math.max(most, bad);
        return spelled;
      });
      // One misread letter per word of the form; a slashed form wholly misread only when glued to the name.
      if (wrong === 0 || most > 1 || (form.includes('/') && wrong === forms.length && !glued)) return m;
      return glued ? ` ${fixed.join('')}` : fixed.join('');
    });
  }
  return out;
}

function oneLookAlike(a: string, b: string): boolean {
  let diff = '';
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff += a[i] + b[i];
  // Any look-alike letters, worn print's too: the other printings are the evidence.
  return diff.length === 2 && lettersConfused(diff[0], diff[1]);
}

/**
 * The spelling most printings of a word agree on. OCR misreads a letter in one printing of a name ("SANYO
 * STATIONERY SHOP" in the header, "SANYU SUPPLY SDN BHD" and "Sanyu.Stationery" further down): a word of the name
 * (5+ letters) printed once takes the spelling of a word printed at least twice elsewhere that differs from it by
 * one look-alike letter.
 */
export function majoritySpelling(name: string, text: string): string {
  const counts = new Map<string, number>();
  for (const w of fold(text).match(/\p{L}{5,}/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return name.replace(/\p{L}{5,}/gu, (w) => {
    const k = fold(w);
    if ((counts.get(k) ?? 0) > 1) return w;
    let best: { word: string; n: number } | null = null;
    for (const [o, n] of counts) {
      if (n >= 2 && o.length === k.length && (!best || n > best.n) && oneLookAlike(o, k)) best = { word: o, n };
    }
    if (!best || best.word.length !== w.length) return w;
    const spelled = best.word;
    return [...w].map((ch, i) => (fold(ch) === spelled[i] ? ch : /\p{Lu}/u.test(ch) ? spelled[i].toUpperCase() : spelled[i])).join('');
  });
}

const DIGIT_IN_CAPITALS = new RegExp(`(?<=[A-Z]\\.?)[${[...LETTER_FOR_DIGIT.keys()].join('')}](?=\\.?[A-Z])`, 'g');

export function cleanName(s: string): string {
  return collapse(
    s
      // OCR's digits for letters inside a capitalised word ("D.1.Y." → "D.I.Y.", "C0NCRETE" → "CONCRETE").
      .replace(DIGIT_IN_CAPITALS, (d) => LETTER_FOR_DIGIT.get(d) ?? d)
      // Words OCR glued together ("SummitEquipmentRentals"): three or more capitalised words in one (not "PayPal").
      .replace(/(?<![\p{L}])\p{Lu}\p{Ll}{2,}(?:\p{Lu}\p{Ll}{2,}){2,}(?![\p{L}])/gu, (w) => w.replace(/(?<=\p{Ll})(?=\p{Lu})/gu, ' '))
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
  // A sentence, not a name: a slogan ("Dat betaal ik zelf wel.", "We build it right!").
  if (/^\S+(?:\s+[\p{Ll}\d][^\s]*){2,}[.!]$/u.test(t)) return false;
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

/**
 * A name as OCR misread it, for a person to check: a word mixing letters and digits side by side ("4AKERIES",
 * "C0NCRETE"), or initials read as digits ("0.1.7."). Not "99 SPEED MART", "3M" or "7-Eleven".
 */
export function looksMisread(name: string): boolean {
  return name.split(/\s+/).some((w) => {
    const letters = (w.match(/\p{L}/gu) ?? []).length;
    if (!/\d/.test(w)) return false;
    if (/^\(?(?:[\p{L}\d]\.){2,}\)?,?$/u.test(w)) return true;
    return letters >= 3 && /\p{L}\d|\d\p{L}/u.test(w);
  });
}
