/**
 * Receipts read by OCR: the shop's name from the header block even when OCR misreads a letter of it or of its
 * legal form, the trading name over the company that runs the shop, and a total misread by one digit caught by
 * the receipt's own arithmetic (tendered − change, tax at its printed rate).
 */
import { describe, expect, it } from 'vitest';
import { CHECK_BELOW, extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { looksMisread, majoritySpelling, repairLegalForm } from '../../src/invoices/extract/vendor-names.ts';
import { type Item, layoutOf } from './synth.ts';

/** A receipt's header block (name, registration, address, phone, tax id) over a title, one item and a total. */
const receipt = (head: Item[], tail: Item[] = []): Item[] => [
  ...head,
  [80, 76, '(202201-K)'],
  [80, 92, 'NO. 12, JALAN BESAR'],
  [80, 108, '43000 KAJANG, SELANGOR'],
  [80, 124, 'TEL: 03-8736 1234'],
  [80, 140, 'GST ID NO: 000123456789'],
  [80, 160, 'TAX INVOICE', 12],
  [80, 180, 'Date: 14/03/2018'],
  [80, 210, 'PVC PIPE 5/8'],
  [380, 210, '20.00'],
  [80, 240, 'TOTAL'],
  [380, 240, 'RM 20.00'],
  ...tail,
];
const read = (items: Item[]) => extractFromLayout(layoutOf(items), { today: '2018-06-01' });

describe('the shop’s name from the header, as printed', () => {
  it('reads a legal form OCR misread letter by look-alike letter as that form', () => {
    expect(read(receipt([[80, 60, 'Harbour Tools Sdn.Ehd', 12]])).vendor).toBe('Harbour Tools Sdn.Bhd');
    expect(read(receipt([[80, 60, 'HARBOUR TOOLS 5DN BHD', 12]])).vendor).toBe('HARBOUR TOOLS SDN BHD');
    // OCR glued the slashed form to the name and read its letters as digits.
    expect(read(receipt([[80, 60, 'CORNER MART5/8 (519537-X)', 12]])).vendor).toBe('CORNER MART S/B');
  });

  it('leaves alone what only resembles a legal form: an item size, two misread letters in one word, a real word', () => {
    expect(repairLegalForm('PVC PIPE 5/8')).toBe('PVC PIPE 5/8');
    expect(repairLegalForm('HARBOUR TOOLS SDN 8H0')).toBe('HARBOUR TOOLS SDN 8H0');
    expect(repairLegalForm('Muller 6mbH')).toBe('Muller GmbH');
    expect(repairLegalForm('ACME lnc')).toBe('ACME Inc');
    expect(repairLegalForm('The Bend Inn')).toBe('The Bend Inn');
    // Only in the header: an item line is never read as a company.
    expect(read(receipt([[80, 60, 'HARBOUR TOOLS', 12]])).vendor).toBe('HARBOUR TOOLS');
  });

  it('spells a name as most of its printings do when OCR misread one letter in the header', () => {
    const tail: Item[] = [
      [80, 300, 'Owned By: KELANA SUPPLY SDN BHD'],
      [80, 320, 'Follow us on Facebook: Kelana.Stationery'],
    ];
    expect(read(receipt([[80, 60, 'KELANO STATIONERY SHOP', 12]], tail)).vendor).toBe('KELANA STATIONERY SHOP');
    // One other printing is no majority; and a letter OCR does not confuse ("R"/"D") is another word.
    expect(majoritySpelling('KELANO STATIONERY SHOP', 'KELANO STATIONERY SHOP\nKELANA SUPPLY')).toBe('KELANO STATIONERY SHOP');
    expect(majoritySpelling('BAKER STREET DELI', 'BAKER STREET DELI\nBAKED fresh daily\nBAKED goods')).toBe('BAKER STREET DELI');
  });

  it('marks a name OCR visibly misread for a person to check', () => {
    const misread = read(receipt([[80, 60, 'HARBOUR 8AKERY SDN BHD', 12]]));
    expect(misread.vendor).toBe('HARBOUR 8AKERY SDN BHD');
    expect(misread.confidence.vendor).toBeLessThan(CHECK_BELOW);
    expect(read(receipt([[80, 60, 'HARBOUR BAKERY SDN BHD', 12]])).confidence.vendor).toBeGreaterThanOrEqual(CHECK_BELOW);
    expect(looksMisread('MR. 0.1.7. (M) SDN BHD')).toBe(true);
    expect(['99 SPEED MART S/B', '3M Malaysia', '7-Eleven', 'MR. D.I.Y. (M) SDN BHD'].map(looksMisread)).toEqual([false, false, false, false]);
  });

  it('reads apart the words of a name OCR glued together, not a name written in camel case', () => {
    const letterhead = (name: string): Item[] => [
      [60, 40, name, 14],
      [60, 58, '41 Ferry Rd, Portland, OR 97201'],
      [60, 70, 'Tel (503) 555-0142'],
      [60, 120, 'INVOICE', 16],
      [60, 140, 'Invoice No: HL-5521'],
      [400, 300, 'Total'],
      [480, 300, '$2,400.00'],
    ];
    expect(read(letterhead('HarborLightElectric LLC')).vendor).toBe('Harbor Light Electric LLC');
    expect(read(letterhead('BrightPath Electric LLC')).vendor).toBe('BrightPath Electric LLC');
    // A legal form glued to the name.
    expect(read(letterhead('HarborLight LLC'.replace(' ', ''))).vendor).toBe('HarborLight LLC');
    expect(repairLegalForm('ZuiderwindB.V.')).toBe('Zuiderwind B.V.');
    expect(repairLegalForm('Zinc Roofing')).toBe('Zinc Roofing');
  });

  it('never takes a slogan printed in the header for the name', () => {
    const r = read([
      [60, 30, 'Wij regelen het wel.', 14],
      [60, 50, 'Zuiderwind Fietsen', 10],
      [60, 100, 'FACTUUR', 16],
      [60, 160, 'Factuurnummer: 55120'],
      [60, 176, 'Factuurdatum: 19 april 2018'],
      [400, 300, 'Totaal'],
      [480, 300, '€ 120,00'],
    ]);
    expect(r.vendor).toBe('Zuiderwind Fietsen');
  });

  it('takes the trading name over the company that runs the shop, and keeps the company as an alternative', () => {
    const r = read(
      receipt([
        [80, 40, 'HARBOUR VIEW CAFE', 14],
        [80, 60, 'HV FOODS SDN BHD', 9],
      ]),
    );
    expect(r.vendor).toBe('HARBOUR VIEW CAFE');
    expect(r.vendorAlternatives).toContain('HV FOODS SDN BHD');
    // A single logo word above the company is not its trading name.
    const logo = read(
      receipt([
        [80, 40, 'Kimbo', 22],
        [80, 60, 'HV FOODS SDN BHD', 9],
      ]),
    );
    expect(logo.vendor).toBe('HV FOODS SDN BHD');
  });
});

describe('a receipt total misread by one digit', () => {
  const rows = (total: string, tax: Item[]): Item[] => [
    [80, 40, 'CORNER HARDWARE', 12],
    [80, 56, 'NO 5, MAIN ROAD, 43000 KAJANG'],
    [80, 80, 'TAX INVOICE'],
    [80, 100, 'Date: 14/03/2018'],
    [80, 130, 'ALUMINIUM FOIL'],
    [400, 130, '5.50'],
    [80, 146, 'GARBAGE BAGS'],
    [300, 146, '5 X 9.50'],
    [400, 146, '4/50'],
    [80, 170, 'Total'],
    [130, 170, 'Incl.'],
    [170, 170, 'GST@6%'],
    [380, 170, total],
    [80, 186, 'CASH'],
    [380, 186, 'RM 100.20'],
    [80, 202, 'CHANGE'],
    [380, 202, 'RM 47.00'],
    ...tax,
  ];

  it('takes tendered − change when the tax at its printed rate agrees with it and not with the printed total', () => {
    // 53.20 × 6/106 = 3.01; the "55.20" read for the total would carry 3.12.
    const r = read(rows('RM 55.20', [[80, 218, 'GST @6% included in total RM 3.01']]));
    expect(r.total).toBe(53.2);
    // Not what the total line says: marked for a person to check.
    expect(r.confidence.total).toBeLessThan(CHECK_BELOW);
  });

  it('keeps the printed total when nothing else decides, but marks it for a person to check', () => {
    const r = read(rows('RM 55.20', []));
    expect(r.total).toBe(55.2);
    expect(r.confidence.total).toBeLessThan(CHECK_BELOW);
  });

  it('keeps a printed total that tendered − change confirms, with full confidence', () => {
    const r = read(rows('RM 53.20', [[80, 218, 'GST @6% included in total RM 3.01']]));
    expect(r.total).toBe(53.2);
    expect(r.confidence.total).toBeGreaterThanOrEqual(0.9);
  });
});
