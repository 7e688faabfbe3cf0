// Credit notes are told apart from invoices (they are booked as QBO VendorCredits, not Bills): by the document's
// title in the languages the app reads, or by a negative total; an invoice that merely mentions a credit is not one.
import { describe, expect, it } from 'vitest';
import { extractFromLayout } from '../../src/invoices/extract/index.ts';
import { type Item, layoutOf } from './synth.ts';

const doc = (title: string, total: string, note = ''): Item[] => [
  [40, 40, 'Cascade Lumber Co.', 14],
  [40, 56, '400 Mill Rd, Tacoma WA 98402'],
  [400, 40, title, 16],
  [400, 60, 'No. CL-5521'],
  [400, 74, 'Date: 03/02/2025'],
  [40, 200, 'Description'],
  [500, 200, 'Amount'],
  [40, 216, note || 'Returned 2x4 studs'],
  [500, 216, total],
  [400, 300, 'Total'],
  [500, 300, total],
];

describe('credit notes', () => {
  it.each(['Credit Note', 'CREDIT MEMO', 'Gutschrift', 'Avoir', 'Note de crédit', 'Facture d’avoir'])('"%s" in the title → credit_note', (title) => {
    const r = extractFromLayout(layoutOf(doc(title, '$412.35')));
    expect(r.documentType).toBe('credit_note');
    expect(r.total).toBe(412.35);
  });

  it('a negative total → credit_note, whatever the title', () => {
    expect(extractFromLayout(layoutOf(doc('INVOICE', '-$95.00'))).documentType).toBe('credit_note');
  });

  it('an invoice that mentions a credit in its lines stays an invoice', () => {
    const r = extractFromLayout(layoutOf(doc('INVOICE', '$1,200.00', 'Lumber (credit note CN-3 applied separately)')));
    expect(r.documentType).toBe('invoice');
  });
});
