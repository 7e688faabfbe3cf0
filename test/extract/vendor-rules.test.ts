/**
 * The vendor is the seller, never the buyer: the workspace's own company, labelled buyer blocks and the
 * addressee of a letter-style invoice are never taken; on a receipt the shop's name heads the letterhead.
 */
import { describe, expect, it } from 'vitest';
import { companyKey, isOwnName } from '../../src/invoices/extract/buyer.ts';
import { extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { type Item, layoutOf } from './synth.ts';

/** A letter-style invoice: letterhead top right, the customer's address window on the left, no labels. */
const letter: Item[] = [
  [360, 40, 'Summit Electrical Services', 14],
  [360, 58, '41 Ferry Rd, Portland, OR 97201'],
  [360, 70, 'Tel (503) 555-0142'],
  [40, 120, 'Ridgeline Builders LLC'],
  [40, 132, '2150 Summit Ave'],
  [40, 144, 'Seattle, WA 98109'],
  [40, 200, 'INVOICE', 16],
  [40, 220, 'Invoice No: SE-5521'],
  [300, 220, 'Date: 06/02/2025'],
  [40, 260, 'Description'],
  [500, 260, 'Amount'],
  [40, 276, 'Panel upgrade, unit 4'],
  [500, 276, '2,400.00'],
  [400, 340, 'Total'],
  [500, 340, '$2,400.00'],
];

describe('vendor is the seller, never the buyer', () => {
  it('never takes the workspace’s own company, however it is written', () => {
    // The buyer's name is the biggest text on the page and carries a legal form; the seller's does not.
    const doc: Item[] = [
      [40, 40, 'RIDGELINE BUILDERS, L.L.C.', 18],
      [40, 62, '2150 Summit Ave, Seattle, WA 98109'],
      [40, 120, 'Invoice from'],
      [40, 134, 'Dave Ortiz Tile Setting'],
      [40, 148, '88 Pine St, Renton, WA 98057'],
      [400, 120, 'Invoice #'],
      [480, 120, 'T-0091'],
      [400, 134, 'Date'],
      [480, 134, '05/14/2025'],
      [400, 300, 'Total'],
      [500, 300, '$1,150.00'],
    ];
    // Without the connection's names the buyer's letterhead-like header would win.
    expect(extractFromLayout(layoutOf(doc)).vendor).toBe('RIDGELINE BUILDERS, L.L.C.');
    const withOwn = extractFromLayout(layoutOf(doc), {
      ownCompanyNames: ['Ridgeline Builders LLC', 'Ridgeline Construction'],
    });
    expect(withOwn.vendor).toBe('Dave Ortiz Tile Setting');
    expect(withOwn.vendorAlternatives ?? []).not.toContain('RIDGELINE BUILDERS, L.L.C.');
  });

  it('compares company names without case, punctuation or legal form', () => {
    expect(companyKey('Ridgeline Builders, L.L.C.')).toBe(companyKey('RIDGELINE BUILDERS LLC'));
    expect(companyKey('Müller Bau GmbH & Co. KG')).toBe(companyKey('Muller Bau'));
    expect(isOwnName('Ridgeline Builders Inc.', ['Ridgeline Builders LLC'])).toBe(true);
    expect(isOwnName('Ridgeline Builders Seattle Office', ['Ridgeline Builders'])).toBe(true);
    // A one-word own name does not swallow every vendor that starts with that word.
    expect(isOwnName('Summit Electrical Services', ['Summit'])).toBe(false);
    expect(isOwnName('Summit Electrical Services', ['Ridgeline Builders LLC'])).toBe(false);
  });

  it.each([
    ['Bill to', 'Bill to:'],
    ['Ship to', 'Ship to'],
    ['Sold to', 'SOLD TO'],
    ['Customer', 'Customer:'],
    ['Client', 'Client'],
    ['Rechnungsempfänger', 'Rechnungsempfänger:'],
    ['Lieferanschrift', 'Lieferanschrift'],
    ['Facturé à', 'Facturé à :'],
    ['Adresse de facturation', 'Adresse de facturation'],
  ])('never takes the block labelled %s, even with a legal form and in big type', (_, label) => {
    const r = extractFromLayout(
      layoutOf([
        [40, 40, 'Northline Heating', 12],
        [40, 54, '12 Canal St, Leeds LS1 4AB'],
        [40, 100, label],
        [40, 114, 'Harbour Developments Ltd', 16],
        [40, 130, '1 King St, Bath BA1 1AA'],
        [400, 100, 'Invoice No.'],
        [480, 100, 'NH-310'],
        [400, 114, 'Date'],
        [480, 114, '12/03/2024'],
        [400, 300, 'Total'],
        [500, 300, '£980.00'],
      ]),
    );
    expect(r.vendor).toBe('Northline Heating');
    expect(r.vendorAlternatives ?? []).not.toContain('Harbour Developments Ltd');
  });

  it('leaves out the addressee window under a sender line', () => {
    const r = extractFromLayout(
      layoutOf([
        [60, 130, 'Holzbau Weber · Dorfstr. 2 · 79100 Freiburg', 7],
        [60, 150, 'Ridgeline Bau GmbH', 11],
        [60, 162, 'Ringstraße 3'],
        [60, 174, '10115 Berlin'],
        [60, 240, 'Rechnung Nr. 2024-77', 14],
        [350, 260, 'Datum: 03.04.2024'],
        [350, 430, 'Gesamtbetrag'],
        [500, 430, '1.190,00 €'],
      ]),
    );
    expect(r.vendor).toBe('Holzbau Weber');
    expect(r.vendorAlternatives ?? []).not.toContain('Ridgeline Bau GmbH');
  });

  it('leaves out the unlabelled addressee of a letter-style invoice, by position', () => {
    const r = extractFromLayout(layoutOf(letter));
    expect(r.vendor).toBe('Summit Electrical Services');
    // Also when the addressee is a company with a legal form and the seller's letterhead has none.
    const both = extractFromLayout(
      layoutOf(letter.map(([x, y, t, h]): Item => [x, y, t === 'Ridgeline Builders LLC' ? 'Ridgeline Builders Holdings Inc.' : t, h])),
    );
    expect(both.vendor).toBe('Summit Electrical Services');
    expect(both.vendorAlternatives ?? []).not.toContain('Ridgeline Builders Holdings Inc.');
  });

  it('takes the shop’s name at the top of a receipt, not a logo word, the title, the cashier or the customer', () => {
    const receipt: Item[] = [
      [150, 20, 'Kimbo', 22],
      [80, 60, 'GREENFIELD HARDWARE', 12],
      [80, 76, '(202201-K)'],
      [80, 92, 'NO. 12, MAIN ROAD'],
      [80, 108, '43000 KAJANG'],
      [80, 124, 'TEL: 03-8736 1234'],
      [80, 150, 'SIMPLIFIED TAX INVOICE', 12],
      [80, 170, 'BRIGHTWAY CONSTRUCTION SDN BHD'],
      [80, 190, 'Cashier: AMIRA'],
      [260, 190, 'Date: 14/03/2018'],
      [80, 220, 'PVC PIPE 2"'],
      [300, 220, '2 x 10.00'],
      [380, 220, '20.00'],
      [80, 260, 'TOTAL'],
      [380, 260, '20.00'],
      [80, 300, 'THANK YOU, PLEASE COME AGAIN'],
    ];
    const r = extractFromLayout(layoutOf(receipt), { today: '2018-06-01' });
    expect(r.vendor).toBe('GREENFIELD HARDWARE');
  });

  it('reads a name printed with wide letter spacing as one name', () => {
    const r = extractFromLayout(
      layoutOf([
        [80, 40, 'K.L.'],
        [115, 40, 'TOOLS'],
        [160, 40, '(M)'],
        [190, 40, 'SDN BHD'],
        [80, 56, '(CO.REG : 123456-X)'],
        [80, 72, 'LOT 5, JALAN KPB 2,'],
        [80, 88, '43300 SERI KEMBANGAN'],
        [80, 120, '-TAX INVOICE-'],
        [80, 200, 'TOTAL'],
        [300, 200, 'RM 12.00'],
      ]),
    );
    expect(r.vendor).toBe('K.L. TOOLS (M) SDN BHD');
  });

  it('reads the seller section’s name a little off its label’s line, and never a currency code or a title', () => {
    const r = extractFromLayout(
      layoutOf([
        [60, 40, 'APPLICATIONFORPAYMENT', 14],
        [260, 96, 'EUR'],
        [60, 100, 'Währung:'],
        [60, 150, 'Verkäufer'],
        [260, 196, 'Physiotherapie Berg'],
        [60, 200, 'Name:'],
        [60, 214, 'Anschrift:'],
        [260, 214, 'Musterstraße 12'],
        [60, 260, 'Käufer'],
        [60, 274, 'Name:'],
        [260, 274, 'Liselotte Müller'],
        [350, 400, 'Gesamtbetrag'],
        [500, 400, '120,00 €'],
      ]),
    );
    expect(r.vendor).toBe('Physiotherapie Berg');
  });
});
