/**
 * Layouts of the kinds that failed on unseen real invoices (issue 10): a Stripe-style invoice (hyphenated number,
 * seller block under the title, bill-to beside it), a German invoice whose footer carries the registry number
 * and the buyer under "Rechnungsempfänger", a French one with SIRET and "Net à payer".
 */
import { describe, expect, it } from 'vitest';
import { extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { type Item, layoutOf } from './synth.ts';

const stripe: Item[] = [
  [40, 40, 'Invoice', 20],
  [40, 70, 'Invoice number'],
  [160, 70, '1A2B3C4D\u20110007'],
  [40, 84, 'Date of issue'],
  [160, 84, 'March 5, 2025'],
  [40, 98, 'Date due'],
  [160, 98, 'April 4, 2025'],
  [40, 130, 'Cloudworks Inc.', 10],
  [300, 130, 'Bill to'],
  [40, 144, '500 Market St'],
  [300, 144, 'Ridgeline Builders LLC'],
  [40, 158, 'San Francisco, California 94105'],
  [300, 158, '2150 Summit Ave'],
  [40, 172, 'United States'],
  [300, 172, 'Seattle, Washington 98109'],
  [40, 220, '$1,320.00 USD due April 4, 2025', 14],
  [40, 260, 'Description'],
  [300, 260, 'Qty'],
  [380, 260, 'Unit price'],
  [500, 260, 'Amount'],
  [40, 276, 'Site plan workspace seats'],
  [300, 276, '12'],
  [380, 276, '$100.00'],
  [500, 276, '$1,200.00'],
  [300, 320, 'Subtotal'],
  [500, 320, '$1,200.00'],
  [300, 334, 'Tax (10%)'],
  [500, 334, '$120.00'],
  [300, 348, 'Total'],
  [500, 348, '$1,320.00'],
  [300, 362, 'Amount due'],
  [500, 362, '$1,320.00 USD'],
  [40, 700, '1A2B3C4D-0007 · $1,320.00 USD due April 4, 2025 · Page 1 of 1', 7],
];

const german: Item[] = [
  [380, 40, 'Elektro Schneider', 16],
  [380, 60, 'Industriestr. 12'],
  [380, 72, '70565 Stuttgart'],
  [380, 84, 'Tel. 0711 987654'],
  [40, 120, 'Rechnungsempfänger:'],
  [40, 134, 'Hausbau Nord GmbH'],
  [40, 146, 'Hafenweg 9'],
  [40, 158, '20457 Hamburg'],
  [40, 220, 'Rechnung', 14],
  [40, 240, 'Rechnungsnummer'],
  [160, 240, 'ES-2025-0412'],
  [40, 254, 'Rechnungsdatum'],
  [160, 254, '14.05.2025'],
  [40, 290, 'Pos.'],
  [80, 290, 'Bezeichnung'],
  [360, 290, 'Menge'],
  [420, 290, 'Einzelpreis'],
  [500, 290, 'Gesamt'],
  [40, 306, '1'],
  [80, 306, 'Unterverteilung montiert'],
  [360, 306, '2'],
  [420, 306, '1.250,00'],
  [500, 306, '2.500,00'],
  [360, 360, 'Nettobetrag'],
  [500, 360, '2.500,00 €'],
  [360, 374, 'USt. 19 %'],
  [500, 374, '475,00 €'],
  [360, 390, 'Rechnungsbetrag'],
  [500, 390, '2.975,00 €'],
  [40, 740, 'Elektro Schneider e.K. · Amtsgericht Stuttgart HRA 727123 · USt-IdNr. DE 812 345 678', 6],
  [40, 750, 'IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX', 6],
];

const french: Item[] = [
  [40, 40, 'Plomberie Martin', 16],
  [40, 60, '3 rue du Port, 13002 Marseille'],
  [360, 120, 'Facturé à :'],
  [360, 134, 'SCI Les Oliviers'],
  [360, 146, '10 avenue du Prado'],
  [360, 158, '13008 Marseille'],
  [40, 120, 'FACTURE N° PM/2025/031'],
  [40, 134, 'Date : 02/06/2025'],
  [40, 220, 'Désignation'],
  [360, 220, 'Qté'],
  [420, 220, 'P.U. HT'],
  [500, 220, 'Total HT'],
  [40, 236, 'Remplacement chauffe-eau'],
  [360, 236, '1'],
  [420, 236, '900,00'],
  [500, 236, '900,00'],
  [360, 300, 'Total HT'],
  [500, 300, '900,00 €'],
  [360, 314, 'TVA 10 %'],
  [500, 314, '90,00 €'],
  [360, 328, 'Net à payer'],
  [500, 328, '990,00 €'],
  [40, 740, 'Plomberie Martin SARL au capital de 5 000 € · SIRET 812 345 678 00019 · RCS Marseille', 6],
];

describe('unseen layouts of the kinds that failed', () => {
  it('Stripe-style: whole hyphenated number, the seller and not the bill-to, total checked by net + tax', () => {
    const r = extractFromLayout(layoutOf(stripe), { today: '2025-06-30' });
    expect([r.vendor, r.invoiceNumber, r.invoiceDate, r.dueDate, r.total, r.currency]).toEqual([
      'Cloudworks Inc.',
      '1A2B3C4D-0007',
      '2025-03-05',
      '2025-04-04',
      1320,
      'USD',
    ]);
    expect(r.lines).toEqual([{ description: 'Site plan workspace seats', quantity: 12, unitPrice: 100, amount: 1200 }]);
  });

  it('German: not the registry number for the total, not the Rechnungsempfänger for the vendor', () => {
    const r = extractFromLayout(layoutOf(german), { today: '2025-06-30' });
    expect([r.vendor, r.invoiceNumber, r.invoiceDate, r.total, r.subtotal, r.tax, r.currency]).toEqual([
      'Elektro Schneider',
      'ES-2025-0412',
      '2025-05-14',
      2975,
      2500,
      475,
      'EUR',
    ]);
  });

  it('French: whole number with slashes, Net à payer, not the Facturé à block nor the SIRET', () => {
    const r = extractFromLayout(layoutOf(french), { today: '2025-06-30' });
    expect([r.vendor, r.invoiceNumber, r.invoiceDate, r.total, r.currency]).toEqual([
      'Plomberie Martin SARL',
      'PM/2025/031',
      '2025-06-02',
      990,
      'EUR',
    ]);
    expect(r.confidence.total).toBeGreaterThanOrEqual(0.9);
  });
});
