/**
 * Layouts the extractor has not been tuned on: invoices in French, German, English (UK/US/AU),
 * Spanish, Dutch, Italian and Swiss German, with labels beside or above values, merged header
 * cells, several date and number conventions, written as positioned text (see synth.ts).
 */
import { describe, expect, it } from 'vitest';
import { extractFromLayout } from '../../src/invoices/extract/index.ts';
import { type Item, layoutOf } from './synth.ts';

const cases: Record<string, Item[]> = {
  fr: [
    [40, 40, 'Menuiserie Dubois SARL', 16], [400, 40, 'FACTURE', 18],
    [40, 60, '12 rue des Artisans, 44000 Nantes'], [400, 70, 'N° : F-2024-0193'], [400, 84, 'Date : 15/03/2024'],
    [40, 120, 'Client :'], [40, 134, 'SCI Les Tilleuls'], [40, 148, '8 avenue Foch, 75016 Paris'], [400, 98, 'Échéance : 14/04/2024'],
    [40, 200, 'Désignation'], [300, 200, 'Qté'], [380, 200, 'P.U. HT'], [480, 200, 'Montant HT'],
    [40, 220, 'Pose de fenêtres PVC'], [300, 220, '5'], [380, 220, '250,00 €'], [480, 220, '1 250,00 €'],
    [380, 300, 'Total HT'], [480, 300, '1 250,00 €'], [380, 314, 'TVA 20 %'], [480, 314, '250,00 €'], [380, 328, 'Total TTC'], [480, 328, '1 500,00 €'],
    [40, 700, 'SARL au capital de 8 000 € - RCS Nantes 812 345 678 - TVA FR12812345678', 7],
  ],
  de: [
    [60, 130, 'Müller Haustechnik GmbH · Hauptstr. 5 · 80331 München', 7],
    [60, 150, 'Schmidt Bau AG'], [60, 162, 'Ringstraße 3'], [60, 174, '10115 Berlin'],
    [60, 240, 'Rechnung', 14], [60, 260, 'Rechnungsnummer:'], [160, 260, '2024-5512'], [350, 260, 'Datum:'], [420, 260, '03.04.2024'],
    [60, 274, 'Kundennummer:'], [160, 274, '10023'], [350, 274, 'Fällig am:'], [420, 274, '17.04.2024'],
    [60, 320, 'Pos.'], [100, 320, 'Bezeichnung'], [350, 320, 'Menge'], [420, 320, 'Einzelpreis'], [500, 320, 'Gesamt'],
    [60, 336, '1'], [100, 336, 'Heizungswartung'], [350, 336, '4'], [420, 336, '850,00'], [500, 336, '3.400,00'],
    [350, 400, 'Nettobetrag'], [500, 400, '3.400,00 EUR'], [350, 414, 'zzgl. 19% MwSt.'], [500, 414, '646,00 EUR'], [350, 430, 'Gesamtbetrag'], [500, 430, '4.046,00 EUR'],
    [60, 760, 'Müller Haustechnik GmbH · Geschäftsführer: K. Müller · Amtsgericht München HRB 123456 · IBAN DE02 1203 0000 0000 2020 51', 6],
  ],
  uk: [
    [40, 40, 'Harbour Joinery Ltd', 18], [40, 60, 'Unit 4, Quay Street, Bristol BS1 4DB'],
    [420, 40, 'INVOICE', 16], [380, 70, 'Invoice No.'], [470, 70, 'INV-00731'], [380, 84, 'Invoice date'], [470, 84, '5 March 2024'], [380, 98, 'Due date'], [470, 98, '4 April 2024'],
    [40, 110, 'Bill to'], [40, 124, 'Acme Developments Ltd'], [40, 138, '1 King St, Bath BA1 1AA'],
    [40, 200, 'Description'], [350, 200, 'Qty'], [420, 200, 'Unit price'], [500, 200, 'Amount'],
    [40, 216, 'Oak staircase, supply & fit'], [350, 216, '1'], [420, 216, '£2,100.00'], [500, 216, '£2,100.00'],
    [420, 300, 'Subtotal'], [500, 300, '£2,100.00'], [420, 314, 'VAT 20%'], [500, 314, '£420.00'], [420, 330, 'Total'], [500, 330, '£2,520.00'],
    [40, 700, 'Harbour Joinery Ltd. Registered in England No. 08123456. VAT Reg No. GB 123 4567 89', 7],
  ],
  es: [
    [40, 40, 'Construcciones Levante S.L.', 15], [40, 58, 'C/ Mayor 10, 46001 Valencia · CIF B12345678'],
    [400, 40, 'FACTURA', 16], [400, 62, 'Factura nº: 2024/118'], [400, 76, 'Fecha: 12/02/2024'], [400, 90, 'Vencimiento: 12/03/2024'],
    [40, 110, 'Cliente:'], [40, 124, 'Promociones Turia S.A.'],
    [40, 200, 'Concepto'], [350, 200, 'Cantidad'], [420, 200, 'Precio'], [500, 200, 'Importe'],
    [40, 216, 'Reforma de fachada'], [350, 216, '1'], [420, 216, '2.000,00'], [500, 216, '2.000,00'],
    [400, 300, 'Base imponible'], [500, 300, '2.000,00 €'], [400, 314, 'IVA 21%'], [500, 314, '420,00 €'], [400, 330, 'Total factura'], [500, 330, '2.420,00 €'],
  ],
  nl: [
    [40, 40, 'Bouwbedrijf De Vries B.V.', 15], [40, 58, 'Dorpsstraat 12, 3511 AB Utrecht'],
    [40, 120, 'Aan:'], [80, 120, 'Gemeente Zeist'],
    [40, 200, 'Factuurnummer'], [160, 200, '20240077'], [40, 214, 'Factuurdatum'], [160, 214, '8 januari 2024'], [40, 228, 'Vervaldatum'], [160, 228, '22 januari 2024'],
    [40, 280, 'Omschrijving'], [400, 280, 'Bedrag'], [40, 296, 'Herstel dakgoot'], [400, 296, '€ 500,00'],
    [300, 340, 'Subtotaal'], [400, 340, '€ 500,00'], [300, 354, 'BTW 21%'], [400, 354, '€ 105,00'], [300, 370, 'Totaal te betalen'], [400, 370, '€ 605,00'],
    [40, 700, 'KvK 12345678 · BTW NL001234567B01 · IBAN NL91ABNA0417164300', 7],
  ],
  it: [
    [40, 40, 'Edilizia Rossi S.r.l.', 15], [40, 58, 'Via Roma 1, 20121 Milano - P.IVA 01234567890'],
    [380, 60, 'Fattura n. 45/2024 del 10/05/2024'], [380, 76, 'Scadenza: 09/06/2024'],
    [40, 110, 'Spett.le'], [40, 124, 'Condominio Aurora'],
    [40, 200, 'Descrizione'], [500, 200, 'Importo'], [40, 216, 'Ripristino intonaci'], [500, 216, '1.500,00'],
    [380, 300, 'Imponibile'], [500, 300, '1.500,00'], [380, 314, 'IVA 22%'], [500, 314, '330,00'], [380, 330, 'Totale documento'], [500, 330, '€ 1.830,00'],
  ],
  us_stacked: [
    [40, 40, 'Rocky Mountain Drywall Inc', 14], [40, 56, '400 Front St, Denver, CO 80202'],
    [400, 40, 'Invoice', 16], [400, 64, 'Date'], [400, 76, 'Invoice #'], [400, 88, 'Terms'], [400, 100, 'Due Date'],
    [480, 64, '01/05/2025'], [480, 76, '10442'], [480, 88, 'Net 30'], [480, 100, '02/04/2025'],
    [40, 100, 'Bill To'], [40, 112, 'Ridgeline Builders LLC'], [40, 124, '2150 Summit Ave, Seattle, WA 98109'],
    [40, 180, 'Description'], [500, 180, 'Amount'], [40, 196, 'Hang and finish level 4, units 101-108'], [500, 196, '18,400.00'],
    [400, 260, 'Total'], [500, 260, '$18,400.00'], [400, 274, 'Payments/Credits'], [500, 274, '$0.00'], [400, 288, 'Balance Due'], [500, 288, '$18,400.00'],
  ],
  ch: [
    [40, 40, 'Alpenbau AG', 16], [40, 58, 'Bahnhofstrasse 1, 8001 Zürich'],
    [40, 120, 'Rechnung Nr. 24-0456'], [40, 134, 'Zürich, 15.3.24'],
    [40, 200, 'Leistung'], [500, 200, 'Betrag'], [40, 216, 'Gerüstmiete März'], [500, 216, "1'234.50"],
    [380, 300, 'Total CHF'], [500, 300, "1'329.55"], [380, 286, 'MwSt 7.7%'], [500, 286, '95.05'],
    [40, 400, 'Zahlbar innert 30 Tagen netto.'],
  ],
  us_caps: [
    [40, 40, 'ACME CONCRETE PUMPING, LLC', 14], [40, 56, 'PO BOX 77, AUSTIN TX 78701'],
    [450, 40, 'INVOICE #INV-1001'], [450, 54, 'Mar 15, 2024'],
    [40, 100, 'BILL TO:'], [40, 112, 'RIDGELINE BUILDERS LLC'],
    [40, 180, 'DESCRIPTION'], [500, 180, 'AMOUNT'], [40, 196, 'Boom pump 38m, 6 hrs'], [500, 196, '1,560.00'],
    [400, 260, 'AMOUNT DUE'], [500, 260, 'USD 1,560.00'], [40, 300, 'PAYMENT TERMS: NET 15'],
  ],
  iso_dates: [
    [40, 40, 'Nordic Tools AB', 14], [40, 56, 'Storgatan 1, 111 22 Stockholm'],
    [400, 60, 'Invoice number'], [400, 72, '7781'], [480, 60, 'Invoice date'], [480, 72, '2024-11-02'], [540, 60, 'Due date'], [540, 72, '2024-12-02'],
    [40, 200, 'Item'], [500, 200, 'Total'], [40, 216, 'Drill set'], [500, 216, '4 500,00'],
    [400, 300, 'Total amount'], [500, 300, 'EUR 4 500,00'],
  ],
  dmy_written: [
    [40, 40, 'Westside Scaffold Hire Pty Ltd', 14], [40, 56, '12 Dock Rd, Fremantle WA 6160, Australia'],
    [400, 40, 'TAX INVOICE'], [400, 56, 'Invoice: 5531'], [400, 70, 'Issued: 15-Mar-2024'], [400, 84, 'Due: 14-Apr-2024'],
    [40, 100, 'Customer'], [40, 112, 'Harbour Homes Pty Ltd'],
    [40, 200, 'Description'], [500, 200, 'Amount'], [40, 216, 'Scaffold hire 4 weeks'], [500, 216, '$3,200.00'],
    [400, 290, 'Subtotal'], [500, 290, '$3,200.00'], [400, 304, 'GST'], [500, 304, '$320.00'], [400, 318, 'Total (AUD)'], [500, 318, '$3,520.00'],
  ],
  credit: [
    [40, 40, 'Ferguson Supply Co.', 14], [40, 56, '1 Main St, Newport News, VA 23606'],
    [400, 40, 'CREDIT MEMO'], [400, 56, 'Credit Memo No: CM-2231'], [400, 70, 'Date: 06/18/2024'],
    [40, 200, 'Description'], [500, 200, 'Amount'], [40, 216, 'Returned fittings'], [500, 216, '-412.35'],
    [400, 300, 'Total'], [500, 300, '-$412.35'],
  ],
};

// Vendor only in the remit-to line, a name without legal form, "Subcontractor:" labels, the
// customer's window address on the left with the vendor on the right.
const vendorCases: Record<string, Item[]> = {
  remit_only: [
    [400, 40, 'INVOICE', 18], [400, 64, 'Invoice Number: 99-4410'], [400, 78, 'Invoice Date: 07/14/2025'], [400, 92, 'Terms: Net 30'],
    [40, 120, 'Sold To:'], [40, 132, 'Ridgeline Builders LLC'], [40, 144, '2150 Summit Ave'], [40, 156, 'Seattle, WA 98109'],
    [300, 120, 'Ship To:'], [300, 132, 'Job 2291 - Maple St'], [300, 144, 'Renton, WA 98057'],
    [40, 200, 'Qty'], [100, 200, 'Description'], [420, 200, 'Price'], [500, 200, 'Amount'],
    [40, 216, '12'], [100, 216, 'Shingle bundle, Timberline HDZ'], [420, 216, '42.50'], [500, 216, '510.00'],
    [420, 300, 'Total'], [500, 300, '$552.08'], [420, 286, 'Tax'], [500, 286, '42.08'],
    [40, 720, 'Remit To: ABC Supply Co., Inc. · PO Box 742, Beloit, WI 53512', 8],
  ],
  plain_name: [
    [40, 40, "Joe's Plumbing & Heating", 16], [40, 58, '18 Elm St, Bend, OR 97701 · (541) 555-0100'],
    [420, 40, 'Invoice', 16], [420, 60, 'No. 3381'], [420, 74, 'Date 9/3/2025'],
    [40, 110, 'Bill To:'], [40, 122, 'Ridgeline Builders LLC'],
    [40, 200, 'Description'], [500, 200, 'Amount'], [40, 216, 'Replace water heater, 50 gal'], [500, 216, '1,850.00'],
    [400, 300, 'Balance Due'], [500, 300, '$1,850.00'],
  ],
  sub_labels: [
    [40, 40, 'SUBCONTRACTOR INVOICE', 14],
    [40, 70, 'Contractor:'], [130, 70, 'Ridgeline Builders LLC'], [330, 70, 'Invoice #:'], [420, 70, 'PX-118'],
    [40, 84, 'Subcontractor:'], [130, 84, 'Peak Excavation Inc.'], [330, 84, 'Date:'], [420, 84, '10/31/2025'],
    [40, 98, 'Project:'], [130, 98, 'Maple St. Medical Office'], [330, 98, 'Due:'], [420, 98, '11/30/2025'],
    [40, 200, 'Description'], [500, 200, 'Amount'], [40, 216, 'Mass excavation, 1,240 CY @ $14.50'], [500, 216, '17,980.00'],
    [40, 232, 'Less 10% retainage'], [500, 232, '(1,798.00)'],
    [400, 300, 'Total This Invoice'], [500, 300, '$16,182.00'],
  ],
  header_right_vendor: [
    [40, 60, 'Ridgeline Builders LLC'], [40, 72, 'Attn: AP'], [40, 84, '2150 Summit Ave'], [40, 96, 'Seattle, WA 98109'],
    [380, 40, 'Evergreen Glass Inc.', 14], [380, 56, '900 Harbor Way, Tacoma, WA 98402'], [380, 68, 'evergreenglass.example'],
    [380, 110, 'Invoice'], [460, 110, 'EG-20931'], [380, 124, 'Date'], [460, 124, '08/22/2025'], [380, 138, 'Due'], [460, 138, '09/21/2025'],
    [40, 200, 'Description'], [500, 200, 'Amount'], [40, 216, 'Storefront glazing, units 1-4'], [500, 216, '24,600.00'],
    [400, 300, 'TOTAL'], [500, 300, '$24,600.00'],
  ],
};

// Layouts of common US billing software (QuickBooks- and FreshBooks-like) and a rental branch system.
const softwareCases: Record<string, Item[]> = {
  quickbooks: [
    [40, 40, 'Keystone Framing LLC', 14], [460, 40, 'INVOICE', 18], [40, 56, '77 Mill Rd'], [40, 68, 'Lancaster, PA 17601'], [40, 80, 'billing@keystoneframing.example  717-555-0166'],
    [40, 120, 'BILL TO'], [200, 120, 'SHIP TO'], [400, 120, 'INVOICE #'], [480, 120, '1043'],
    [40, 132, 'Ridgeline Builders LLC'], [200, 132, 'Ridgeline Builders LLC'], [400, 132, 'DATE'], [480, 132, '03/05/2025'],
    [40, 144, '2150 Summit Ave'], [200, 144, 'Lot 14 Orchard Way'], [400, 144, 'DUE DATE'], [480, 144, '04/04/2025'],
    [40, 156, 'Seattle, WA 98109'], [200, 156, 'Lititz, PA 17543'], [400, 156, 'TERMS'], [480, 156, 'Net 30'],
    [40, 200, 'DATE'], [100, 200, 'ACTIVITY'], [200, 200, 'DESCRIPTION'], [380, 200, 'QTY'], [430, 200, 'RATE'], [510, 200, 'AMOUNT'],
    [40, 216, '03/03/2025'], [100, 216, 'Framing'], [200, 216, 'Wall framing lot 14'], [380, 216, '1'], [430, 216, '1,200.00'], [510, 216, '1,200.00'],
    [380, 280, 'SUBTOTAL'], [510, 280, '1,200.00'], [380, 294, 'TAX'], [510, 294, '96.00'], [380, 308, 'TOTAL'], [510, 308, '1,296.00'], [380, 326, 'BALANCE DUE'], [500, 326, '$1,296.00', 12],
  ],
  freshbooks: [
    [400, 40, 'Coastal Tile Works', 12], [400, 54, '12 Harbor St'], [400, 66, 'Charleston, SC 29401'],
    [40, 120, 'Billed To'], [180, 120, 'Date of Issue'], [300, 120, 'Invoice Number'], [440, 120, 'Amount Due (USD)'],
    [40, 134, 'Ridgeline Builders LLC'], [180, 134, '03/05/2025'], [300, 134, '0000123'], [440, 134, '$4,212.50', 14],
    [40, 146, '2150 Summit Ave'], [180, 152, 'Due Date'], [40, 158, 'Seattle, WA 98109'], [180, 166, '04/04/2025'],
    [40, 220, 'Description'], [330, 220, 'Rate'], [400, 220, 'Qty'], [480, 220, 'Line Total'],
    [40, 236, 'Porcelain tile install, 2nd floor baths'], [330, 236, '$8.50'], [400, 236, '450'], [480, 236, '$3,825.00'],
    [400, 300, 'Subtotal'], [480, 300, '3,825.00'], [400, 314, 'Tax'], [480, 314, '387.50'], [400, 328, 'Total'], [480, 328, '4,212.50'],
    [400, 342, 'Amount Paid'], [480, 342, '0.00'], [400, 360, 'Amount Due (USD)'], [480, 360, '$4,212.50'],
  ],
  rental_caps: [
    [40, 40, 'UNITED EQUIPMENT RENTALS, INC.', 12], [40, 54, 'BRANCH 418 - 2900 AIRPORT BLVD, AUSTIN TX 78722'],
    [380, 40, 'INVOICE NUMBER'], [480, 40, '218877641-001'], [380, 54, 'INVOICE DATE'], [480, 54, '03/29/25'], [380, 68, 'CONTRACT #'], [480, 68, '218877641'],
    [380, 82, 'RENTAL PERIOD'], [480, 82, '03/01/25 THRU 03/28/25'],
    [40, 100, 'CUSTOMER #: 1184420'], [40, 114, 'RIDGELINE BUILDERS LLC'], [40, 126, 'PO BOX 1100, SEATTLE WA 98111'],
    [40, 200, 'QTY'], [80, 200, 'EQUIPMENT'], [330, 200, 'MIN'], [380, 200, 'DAY'], [430, 200, 'WEEK'], [480, 200, '4 WEEK'], [540, 200, 'AMOUNT'],
    [40, 216, '1'], [80, 216, '19FT ELECTRIC SCISSOR LIFT'], [330, 216, '120.00'], [380, 216, '120.00'], [430, 216, '260.00'], [480, 216, '520.00'], [540, 216, '520.00'],
    [380, 300, 'SUB-TOTAL'], [540, 300, '520.00'], [380, 314, 'SALES TAX'], [540, 314, '42.90'], [380, 330, 'TOTAL DUE'], [540, 330, '562.90'],
    [40, 400, 'TERMS: NET 30 DAYS FROM INVOICE DATE'],
  ],
};

// vendor, invoice number, invoice date, due date, total, currency
const expected: Record<string, [string, string, string, string | null, number, string]> = {
  fr: ['Menuiserie Dubois SARL', 'F-2024-0193', '2024-03-15', '2024-04-14', 1500, 'EUR'],
  de: ['Müller Haustechnik GmbH', '2024-5512', '2024-04-03', '2024-04-17', 4046, 'EUR'],
  uk: ['Harbour Joinery Ltd', 'INV-00731', '2024-03-05', '2024-04-04', 2520, 'GBP'],
  es: ['Construcciones Levante S.L.', '2024/118', '2024-02-12', '2024-03-12', 2420, 'EUR'],
  nl: ['Bouwbedrijf De Vries B.V.', '20240077', '2024-01-08', '2024-01-22', 605, 'EUR'],
  it: ['Edilizia Rossi S.r.l.', '45/2024', '2024-05-10', '2024-06-09', 1830, 'EUR'],
  us_stacked: ['Rocky Mountain Drywall Inc', '10442', '2025-01-05', '2025-02-04', 18400, 'USD'],
  ch: ['Alpenbau AG', '24-0456', '2024-03-15', '2024-04-14', 1329.55, 'CHF'],
  us_caps: ['ACME CONCRETE PUMPING, LLC', 'INV-1001', '2024-03-15', '2024-03-30', 1560, 'USD'],
  iso_dates: ['Nordic Tools AB', '7781', '2024-11-02', '2024-12-02', 4500, 'EUR'],
  dmy_written: ['Westside Scaffold Hire Pty Ltd', '5531', '2024-03-15', '2024-04-14', 3520, 'AUD'],
  credit: ['Ferguson Supply Co.', 'CM-2231', '2024-06-18', null, -412.35, 'USD'],
};

describe('unseen layouts and languages', () => {
  it.each(Object.keys(cases))('%s', (name) => {
    const r = extractFromLayout(layoutOf(cases[name]));
    const [vendor, invoiceNumber, invoiceDate, dueDate, total, currency] = expected[name];
    expect({ vendor: r.vendor, invoiceNumber: r.invoiceNumber, invoiceDate: r.invoiceDate, dueDate: r.dueDate, total: r.total, currency: r.currency }).toEqual({
      vendor,
      invoiceNumber,
      invoiceDate,
      dueDate,
      total,
      currency,
    });
  });

  it('finds subtotal and tax that add up to the total', () => {
    const r = extractFromLayout(layoutOf(cases.de));
    expect([r.subtotal, r.tax]).toEqual([3400, 646]);
    const fr = extractFromLayout(layoutOf(cases.fr));
    expect([fr.subtotal, fr.tax]).toEqual([1250, 250]);
  });

  it('pairs labels with values whatever order the text comes in', () => {
    const shuffled = [...cases.us_stacked].reverse();
    const r = extractFromLayout(layoutOf(shuffled));
    expect([r.invoiceNumber, r.invoiceDate, r.dueDate, r.total]).toEqual(['10442', '2025-01-05', '2025-02-04', 18400]);
  });

  it('does not take the bill-to company for the vendor', () => {
    for (const name of ['uk', 'es', 'us_stacked', 'dmy_written']) {
      const r = extractFromLayout(layoutOf(cases[name]));
      expect(r.vendor).not.toMatch(/Acme|Promociones|Ridgeline|Harbour Homes/);
    }
  });

  it('reads line items with quantity × unit price', () => {
    const r = extractFromLayout(layoutOf(cases.de));
    expect(r.lines).toEqual([{ description: 'Heizungswartung', quantity: 4, unitPrice: 850, amount: 3400 }]);
  });

  it.each([
    ['remit_only', 'ABC Supply Co., Inc.', '99-4410', '2025-08-13', 552.08],
    ['plain_name', "Joe's Plumbing & Heating", '3381', null, 1850],
    ['sub_labels', 'Peak Excavation Inc.', 'PX-118', '2025-11-30', 16182],
    ['header_right_vendor', 'Evergreen Glass Inc.', 'EG-20931', '2025-09-21', 24600],
  ] as const)('US construction vendor layout: %s', (name, vendor, invoiceNumber, dueDate, total) => {
    const r = extractFromLayout(layoutOf(vendorCases[name]));
    expect([r.vendor, r.invoiceNumber, r.dueDate, r.total, r.currency]).toEqual([vendor, invoiceNumber, dueDate, total, 'USD']);
  });

  it.each([
    ['quickbooks', ['Keystone Framing LLC', '1043', '2025-03-05', '2025-04-04', 1296, 'USD', 1200, 96], [1, 1200]],
    ['freshbooks', ['Coastal Tile Works', '0000123', '2025-03-05', '2025-04-04', 4212.5, 'USD', 3825, 387.5], [450, 8.5]],
    ['rental_caps', ['UNITED EQUIPMENT RENTALS, INC.', '218877641-001', '2025-03-29', '2025-04-28', 562.9, 'USD', 520, 42.9], [1, 520]],
  ] as const)('US billing-software layout: %s', (name, want, [quantity, unitPrice]) => {
    const r = extractFromLayout(layoutOf(softwareCases[name]));
    expect([r.vendor, r.invoiceNumber, r.invoiceDate, r.dueDate, r.total, r.currency, r.subtotal, r.tax]).toEqual(want);
    expect(r.lines).toHaveLength(1);
    expect([r.lines[0].quantity, r.lines[0].unitPrice]).toEqual([quantity, unitPrice]);
  });

  it('gives low confidence when a field is guessed', () => {
    const r = extractFromLayout(
      layoutOf([
        [40, 40, 'Some Shop', 12],
        [40, 200, 'Thanks for your order! 12.00 $'],
      ]),
    );
    expect(r.invoiceNumber).toBeNull();
    expect(r.confidence.invoiceNumber).toBe(0);
    expect(r.confidence.total ?? 0).toBeLessThan(0.5);
  });
});
