/** US construction-vendor and billing-software layouts the extractor has not been tuned on (see synth.ts). */
import { describe, expect, it } from 'vitest';
import { extractFromLayout } from '../../src/invoices/extract/index.ts';
import { softwareCases, vendorCases } from './layouts-us-cases.ts';
import { layoutOf } from './synth.ts';

describe('unseen US layouts', () => {
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
});
