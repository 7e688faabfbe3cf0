/**
 * Multilingual label lexicon (English, German, French, Dutch, Spanish, Italian) and label finding.
 * Patterns run on folded text (lower case, no accents), so "Fällig" is written "fallig" here.
 * No vendor- or file-specific entries: only words invoices in these languages use for the field.
 */
import type { Layout, Row } from './layout.ts';
import { fold } from './text.ts';

export type LabelKind =
  | 'invoiceNumber'
  | 'invoiceDate'
  | 'dueDate'
  | 'total'
  | 'amountDue'
  | 'subtotal'
  | 'tax'
  /** Amounts that check the total: rounding, already paid, tendered (cash/card) and change given. */
  | 'rounding'
  | 'paid'
  | 'tender'
  | 'change';

interface LabelDef {
  kind: LabelKind;
  re: RegExp;
  /** Global copy of `re`, compiled once. */
  reg?: RegExp;
  w: number;
  /** Only when the label opens its cell (bare, generic words like "Date" or "Total"). */
  atStart?: boolean;
}

const NO = String.raw`(?:no|nr|nº|n°|n\.|num(?:ber|ero|mer)?|#|id)`;

/** A word's endings of four letters or more, shortest last ("nvoice|voice|oice"): the word with its first letters lost. */
function clipped(words: string[]): string {
  const tails = new Set<string>();
  for (const w of words) for (let i = 1; w.length - i >= 4; i++) tails.add(w.slice(i));
  return [...tails].sort((a, b) => b.length - a.length).join('|');
}

const DEFS: LabelDef[] = [
  // Invoice number
  { kind: 'invoiceNumber', w: 1, re: new RegExp(String.raw`\b(?:tax\s+)?invoice\s*-?\s*${NO}\.?(?![a-z])`) },
  { kind: 'invoiceNumber', w: 0.95, re: new RegExp(String.raw`\binv\.?\s*${NO}\.?(?![a-z])`) },
  { kind: 'invoiceNumber', w: 1, re: /\brechnungs?\s*-?\s*(?:nummer|nr|no)\.?(?![a-z])/ },
  { kind: 'invoiceNumber', w: 1, re: /\brechnung\s+(?:nr|no|nummer)\.?(?![a-z])/ },
  { kind: 'invoiceNumber', w: 1, re: /\bfacture\s*(?:n\s*[°ºo]|numero|num\.?|no\.?)(?![a-z])/ },
  { kind: 'invoiceNumber', w: 1, re: /\b(?:n\s*[°º]|numero|num\.?|no\.?)\s*(?:de\s+)?(?:la\s+)?facture\b/ },
  { kind: 'invoiceNumber', w: 1, re: /\bfactuur\s*-?\s*(?:nummer|nr|no)\.?(?![a-z])/ },
  { kind: 'invoiceNumber', w: 1, re: /\b(?:factura|fattura)\s*(?:n\s*[°º]?|nr|num(?:ero)?|no|#)\.?(?![a-z])/ },
  { kind: 'invoiceNumber', w: 1, re: /\b(?:numero|n\s*[°º]|no)\s*(?:de\s+)?(?:la\s+)?(?:factura|fattura)\b/ },
  {
    kind: 'invoiceNumber',
    w: 0.9,
    re: new RegExp(String.raw`\b(?:bill|credit\s*note|credit\s*memo|gutschrift(?:s)?|avoir|beleg|document|dokument)\s*-?\s*${NO}\.?(?![a-z])`),
  },
  { kind: 'invoiceNumber', w: 0.9, re: /\b(?:belegnummer|gutschriftsnummer|rechnungsnummer)\b/ },
  // Document titles followed by the number ("Invoice INV/2023/03/0008", "Facture FA-2017-0010").
  {
    kind: 'invoiceNumber',
    w: 0.6,
    atStart: true,
    re: /^(?:tax\s+|commercial\s+|proforma\s+)?(?:invoice|rechnung|handelsrechnung|facture|factuur|factura|fattura|gutschrift|avoir|credit\s*note|bill)\b/,
  },
  // OCR that lost a label's first letters at a cell's edge ("voice Number", "echnungsnummer"): still that label when
  // the rest is read and it opens its cell.
  {
    kind: 'invoiceNumber',
    w: 0.85,
    atStart: true,
    re: new RegExp(
      String.raw`^(?:${clipped(['invoice', 'facture', 'factuur', 'factura', 'fattura'])})\s*-?\s*${NO}\.?(?![a-z])|^(?:${clipped(['rechnungs', 'rechnung'])})\s*-?\s*(?:nummer|nr|no)\.?(?![a-z])`,
    ),
  },
  // Weak: other document references, used only when nothing better exists.
  {
    kind: 'invoiceNumber',
    w: 0.3,
    re: /\b(?:receipt|booking|confirmation|transaction|statement)\s*(?:no|nr|number|id|#)\.?(?![a-z])/,
  },

  // Issue date
  {
    kind: 'invoiceDate',
    w: 1,
    re: /\b(?:invoice\s*date|date\s*(?:of\s*)?(?:the\s*)?invoice|date\s*of\s*issue|issue\s*date|issued\s*(?:on|date)?|date\s*issued|billing\s*date|bill\s*date|rechnungsdatum|datum\s*(?:der\s*)?rechnung|ausstellungsdatum|belegdatum|gutschriftsdatum|date\s*(?:de\s*)?(?:la\s*)?facture|date\s*de\s*facturation|date\s*d.emission|factuurdatum|factuur\s*datum|fecha\s*(?:de\s*)?(?:la\s*)?(?:factura|emision|expedicion)|data\s*(?:della\s*)?fattura|data\s*(?:di\s*)?emissione)\b/,
  },
  { kind: 'invoiceDate', w: 0.75, atStart: true, re: /^(?:date|datum|fecha|data|dated|le|du)\b/ },

  // Due date
  {
    kind: 'dueDate',
    w: 1,
    re: /\b(?:due\s*date|date\s*due|payment\s*due(?:\s*date)?|due\s*(?:on|by)|pay(?:ment)?\s*(?:by|before)|payable\s*(?:by|on|before|until)|f(?:a|ae)llig(?:keit(?:sdatum)?)?(?:\s*(?:am|zum|bis))?|zahlbar\s*(?:bis|am)|zahlungsziel|zahlungstermin|(?:date\s*d.)?echeance|date\s*limite\s*(?:de\s*)?(?:paiement|reglement)|a\s*(?:regler|payer)\s*(?:avant\s*le|le)|vervaldatum|vervaldag|uiterste\s*betaaldatum|te\s*betalen\s*voor|fecha\s*(?:de\s*)?vencimiento|vencimiento|data\s*(?:di\s*)?scadenza|scadenza)\b/,
  },
  { kind: 'dueDate', w: 0.8, re: /\b(?:net(?:to)?|netto)\s*(?:bis|by|until|avant\s*le)\b/ },
  { kind: 'dueDate', w: 0.7, atStart: true, re: /^due\b/ },

  // Grand total (gross)
  {
    kind: 'total',
    w: 1,
    re: /\bgrand\s*total\b|\bgesamtsumme\b|\bbruttosumme\b|\bbruttobetrag\b|\bendbetrag\b|\brechnungsbetrag\b|\bgesamtbetrag\b|\brechnungssumme\b/,
  },
  {
    kind: 'total',
    w: 0.95,
    re: /\b(?:invoice\s*total|total\s*(?:for\s*)?(?:this\s*)?invoice|total\s*amount|amount\s*total|total\s*(?:incl|inkl|including|inclusive|with)\b|total\s*(?:eur\s*|€\s*)?ttc|montant\s*(?:total\s*)?(?:eur\s*)?ttc|total\s*facture|montant\s*total|totaal\s*(?:incl\w*|bedrag)|factuur\s*totaal|factuurbedrag|totaalbedrag|total\s*factura|importe\s*total|totale\s*(?:fattura|documento)|total\s*general|total\s*gross|gross\s*total)\b/,
  },
  { kind: 'total', w: 0.85, re: /\b(?:somme|net|total)\s*a\s*payer\b|\bte\s*betalen\b/ },
  // Progress billing (AIA G702 and similar): the amount of this bill.
  {
    kind: 'total',
    w: 1,
    re: /\b(?:current\s*(?:payment|amount)\s*due|amount\s*(?:due\s*)?(?:for\s*)?this\s*(?:invoice|period|application|billing|estimate|draw)|(?:total|amount)\s*(?:billed\s*)?this\s*(?:invoice|period|application|billing|draw)|this\s*(?:invoice|billing)\s*(?:total|amount))\b/,
  },
  { kind: 'total', w: 0.8, atStart: true, re: /^(?:total|totaal|totale|summe|gesamt|importe)\b/ },
  { kind: 'total', w: 0.9, atStart: true, re: /^brutto\b/ },
  {
    kind: 'total',
    w: 1,
    re: /\b(?:rounded\s*total|total\s*(?:after\s*)?rounded|total\s*(?:amount\s*)?payable|final\s*total|total\s*to\s*pay|total\s*a\s*pagar)\b/,
  },
  { kind: 'total', w: 0.7, re: /\btotal(?:\s*(?:eur|usd|chf|gbp|\$|€))?\s*$/ },
  // Amount due (may differ from the total after prepayments)
  {
    kind: 'amountDue',
    w: 1,
    re: /\b(?:amount\s*due|balance\s*due|total\s*due|amount\s*payable|payment\s*amount|zahlbetrag|zu\s*zahlen(?:der\s*betrag)?|offener\s*betrag|solde\s*(?:a\s*payer|du)|reste\s*a\s*payer|montant\s*du|nog\s*te\s*betalen|importe\s*a\s*pagar)\b/,
  },

  // Subtotal (net)
  { kind: 'subtotal', w: 0.9, atStart: true, re: /^(?:netto|net|ht)\b(?!\s*a\s*payer)/ },
  { kind: 'subtotal', w: 0.95, re: /\btotal\s*(?:sales\s*)?\(?\s*(?:excl\w*|exclusive|before\s*(?:tax|gst|vat))\b/ },
  {
    kind: 'subtotal',
    w: 1,
    re: /\b(?:sub\s*-?\s*total|subtotaal|zwischensumme|sous\s*-?\s*total|total\s*(?:ht|h\.t\.|net|excl\w*|exkl\w*|before\s*tax|hors\s*taxes?)|net\s*(?:total|amount)|nettobetrag|nettosumme|summe\s*netto|gesamt\s*netto|rechnungssumme\s*ohne|montant\s*(?:total\s*)?(?:eur\s*)?ht|exclusief\s*btw|totaal\s*excl\w*|base\s*imponible|imponibile|amount\s*before\s*tax|taxable\s*amount|warenwert)\b/,
  },

  // Tax total
  {
    kind: 'tax',
    w: 1,
    re: /\b(?:total\s*)?(?:sales\s*)?(?:tax(?:es)?|vat|mwst|ust|umsatzsteuer|mehrwertsteuer|steuerbetrag|tva|btw|gst|hst|iva)(?:\s*(?:total|amount|betrag|bedrag))?\b/,
  },
];

DEFS.push(
  {
    kind: 'rounding',
    w: 1,
    re: /\b(?:rounding(?:\s*adj\w*)?|round(?:ing)?\s*adj\w*|rundung(?:sdifferenz)?|arrondi)\b/,
  },
  {
    kind: 'paid',
    w: 1,
    re: /\b(?:amount\s*paid|paid(?:\s*to\s*date)?|payments?(?:\s*\/\s*credits?)?\s*(?:received|applied)?|less\s*(?:deposit|payment)|deposit\s*paid|anzahlung\w*|bereits\s*(?:bezahlt|gezahlt)|acompte\w*|deja\s*paye)\b/,
  },
  {
    kind: 'tender',
    w: 1,
    atStart: true,
    re: /^(?:(?:rm|\$|€|£)\s*)?(?:cash(?:\s*tendered)?|tendered|tender|card|credit\s*card|debit\s*card|visa|master\s*card|mastercard|amex|bar(?:geld)?|gegeben|especes|cb)\b/,
  },
  {
    kind: 'change',
    w: 1,
    atStart: true,
    re: /^(?:change(?:\s*(?:due|amt|amount))?|ruckgeld|wechselgeld|rendu|monnaie\s*rendue)\b/,
  },
);

for (const d of DEFS) d.reg = new RegExp(d.re.source, d.re.flags.includes('g') ? d.re.flags : `${d.re.flags}g`);

/** A tax label that is really an identifier or a rate. */
const TAX_NOT_AMOUNT =
  /\b(?:invoice|receipt|rechnung|facture|summary|analysis|code|id|no|nr|number|nummer|reg\w*|code|rate|satz|exempt|intra\w*|identif\w*|registration|acquittee|payee|sur\s*les)\b|-id|steuernummer|ust-?id|tax\s*id|inclusive|inkl|incl|grondslag|basis/;

/** Words that make a "total"-like label mean something else than the gross total. */
const TOTAL_NOT_GROSS =
  /\b(?:sub|zwischen|sous|netto|nett|net(?!\s*a\s*payer)|excl\w*|exkl\w*|ohne|hors|before|ht|h\.t|tax\w*|vat|mwst|ust|steuer\w*|tva|btw|iva|gst|discount|rabatt|remise|skonto|korting|shipping|fracht|porto|versand|positionssumme|zuschl\w*|abschl\w*|anzahlung\w*|deposit|acompte|paid|bezahlt|erhalten\w*|credit\w*|received|quantity|qty|menge|aantal|pieces|weight|gewicht|items|lines|pages|hours|stunden|count|units|warenwert|lieferung|delivery|completed|stored|earned|contract|previous|prior|retain\w*|retention|einbehalt\w*|hours|to\s*date|balance\s*to\s*finish)\b|zwischensumme|sub-?total/;
const TOTAL_GROSS_HINT =
  /\b(?:current\s*payment\s*due|this\s*(?:invoice|period|application|billing|draw)|incl\w*|inkl\w*|ttc|brutto|gross|inclusive|including|toutes\s*taxes|with\s*tax|mit\s*(?:mwst|ust))\b|bruttosumme/;

/** Document-title words, used to qualify bare "No."/"Nr." labels. */
export const INVOICE_WORD = /(?:invoice|rechnung|facture|factuur|factura|fattura|gutschrift|avoir|credit\s*note|bill\b)/;

/** Nouns whose number is not the invoice's ("Bestellung Nr.", "Order No."). */
const OTHER_REF =
  /(?:bestell\w*|order|auftrag\w*|lieferschein|lieferung|liefer\w*|delivery|kunde\w*|customer|client|contract|vertrag\w*|konto|account|po|purchase|commande|bon|projekt|project|ticket|referenz|reference|steuer\w*|tax|vat|ust|tel|telefon|phone|fax|iban|artikel|article|item|position|pos)\.?$/;
const TITLE_END = /(?:invoice|rechnung|facture|factuur|factura|fattura|gutschrift|avoir|credit\s*note|bill)\s*$/;

export interface LabelHit {
  kind: LabelKind;
  w: number;
  row: Row;
  cell: number;
  start: number;
  end: number;
}

function allowed(def: LabelDef, cellFolded: string, start: number, end: number, rowFolded = cellFolded): boolean {
  // Generic words only count when they open the cell (after an enumerator such as "4." or "b)").
  if (
    def.atStart &&
    cellFolded
      .slice(0, start)
      .replace(/^\s*(?:\d{1,2}|[a-z])[.)]\s/, '')
      .replace(/[\s*#•:|-]/g, '') !== ''
  )
    return false;
  const phrase = cellFolded.replace(/[\d.,]+/g, ' ');
  if (def.kind === 'total' && TOTAL_NOT_GROSS.test(phrase) && !TOTAL_GROSS_HINT.test(phrase)) return false;
  if (def.kind === 'tax') {
    // "TAX INVOICE" (a title, also split over cells by wide print).
    if (/\btax\W*invoice\b/.test(rowFolded) && !/\d[.,]\d{2}/.test(rowFolded)) return false;
    if (TAX_NOT_AMOUNT.test(cellFolded.slice(start, end + 12))) return false;
    if (
      /sub|zwischen|netto|ohne|excl|exkl|hors|\bht\b|before|grondslag|basis|base/.test(phrase) &&
      !/\b(?:tax|vat|tva|btw|mwst|ust)\s*(?:total|amount|betrag|bedrag)/.test(phrase)
    ) {
      return false;
    }
  }
  if (def.kind === 'invoiceDate' && def.atStart) {
    const rest = cellFolded.slice(end, end + 30);
    if (/^\s*(?:limite|d.echeance|due|of\s*(?:delivery|service|order|supply)|de\s*(?:livraison|commande|paiement|prestation))/.test(rest))
      return false;
  }
  return true;
}

/** Finds every label occurrence in the document, one per kind and cell (the strongest). */
export function findLabels(layout: Layout): LabelHit[] {
  const hits: LabelHit[] = [];
  for (const row of layout.rows) {
    const rowFolded = fold(row.text);
    row.cells.forEach((cell, ci) => {
      const f = fold(cell.text);
      const best = new Map<LabelKind, LabelHit>();
      for (const def of DEFS) {
        for (const m of f.matchAll(def.reg as RegExp)) {
          const start = m.index;
          const end = start + m[0].length;
          if (!allowed(def, f, start, end, rowFolded)) continue;
          const prev = best.get(def.kind);
          if (!prev || def.w > prev.w) best.set(def.kind, { kind: def.kind, w: def.w, row, cell: ci, start, end });
        }
      }
      // Bare "Nr."/"No." right after the document's title ("Handelsrechnung (380) Nr. 471102 vom …"),
      // or opening a cell on a row that names the document.
      for (const m of f.matchAll(/(?<![a-z.-])(?:nr|no|n°|nº|number|nummer|#)\.?(?![a-z])/g)) {
        const before = f
          .slice(0, m.index)
          .replace(/\([^)]*\)/g, ' ')
          .trim();
        const words = before.split(/\s+/).filter(Boolean);
        let w = 0;
        if (before === '') w = INVOICE_WORD.test(rowFolded) ? 0.75 : 0;
        else if (TITLE_END.test(before)) w = 0.95;
        // "Rechnung des Versicherers (575) Nr. …", "Rechnungskorrektur (384) Nr. …"
        else if (INVOICE_WORD.test(words[0]) && words.length <= 5 && !OTHER_REF.test(words[words.length - 1])) w = 0.85;
        const prev = best.get('invoiceNumber');
        if (w > 0 && (!prev || w > prev.w)) {
          best.set('invoiceNumber', {
            kind: 'invoiceNumber',
            w,
            row,
            cell: ci,
            start: m.index,
            end: m.index + m[0].length,
          });
        }
      }
      hits.push(...best.values());
    });
  }
  return hits;
}
