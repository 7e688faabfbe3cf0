/** Subcontractor progress-billing and supply-house invoices for scripts/make-invoices.ts. */
import { type Expected, type Line, newDoc, num, r2, usd } from './sheet.ts';

// ---------------------------------------------------------------- subcontractor, AIA G702-style progress billing
export async function progressAia(): Promise<[Uint8Array, Expected]> {
  const { doc, s, f } = await newDoc('Application for Payment No. 4', 'Bright Line Electric Co.');
  s.c('APPLICATION AND CERTIFICATE FOR PAYMENT', 306, 40, 13, f.bold);
  s.t('TO (CONTRACTOR):', 40, 70, 8, f.bold);
  ['Ridgeline Builders LLC', '2150 Summit Ave', 'Seattle, WA 98109'].forEach((l, i) => s.t(l, 40, 82 + i * 11, 9));
  s.t('FROM (SUBCONTRACTOR):', 220, 70, 8, f.bold);
  ['Bright Line Electric Co.', '77 Conduit Lane', 'Kent, WA 98032', 'WA Lic. BRIGHLE882KS'].forEach((l, i) => s.t(l, 220, 82 + i * 11, 9));
  const meta: [string, string][] = [
    ['APPLICATION NO:', '4'],
    ['INVOICE NO:', 'BLE-2025-014'],
    ['PERIOD TO:', '03/31/2025'],
    ['APPLICATION DATE:', '04/02/2025'],
    ['PROJECT:', 'Maple St. Medical Office'],
    ['CONTRACT DATE:', '10/14/2024'],
  ];
  meta.forEach(([k, v], i) => {
    s.t(k, 400, 70 + i * 12, 8, f.bold);
    s.t(v, 486, 70 + i * 12, 8);
  });
  s.t("CONTRACTOR'S APPLICATION FOR PAYMENT", 40, 160, 10, f.bold);
  const original = 485000;
  const changes = 12500;
  const sumToDate = original + changes;
  const completed = 298500;
  const retainage = r2(completed * 0.1);
  const earned = r2(completed - retainage);
  const previous = 179100;
  const due = r2(earned - previous);
  const balance = r2(sumToDate - earned);
  const rows: [string, number][] = [
    ['1. ORIGINAL CONTRACT SUM', original],
    ['2. Net change by Change Orders', changes],
    ['3. CONTRACT SUM TO DATE (Line 1 ± 2)', sumToDate],
    ['4. TOTAL COMPLETED & STORED TO DATE', completed],
    ['5. RETAINAGE: 10% of Completed Work', retainage],
    ['6. TOTAL EARNED LESS RETAINAGE', earned],
    ['7. LESS PREVIOUS CERTIFICATES FOR PAYMENT', previous],
    ['8. CURRENT PAYMENT DUE', due],
    ['9. BALANCE TO FINISH, INCLUDING RETAINAGE', balance],
  ];
  rows.forEach(([k, v], i) => {
    const bold = k.startsWith('8.');
    s.t(k, 40, 182 + i * 18, 9, bold ? f.bold : f.reg);
    s.r(usd(v), 330, 182 + i * 18, 9, bold ? f.bold : f.reg);
  });
  s.t('CHANGE ORDER SUMMARY', 370, 182, 8, f.bold);
  s.t('Approved previous months', 370, 196, 8);
  s.r(num(8000), 572, 196, 8);
  s.t('Approved this month', 370, 208, 8);
  s.r(num(4500), 572, 208, 8);
  s.t('TOTALS', 370, 222, 8, f.bold);
  s.r(num(12500), 572, 222, 8, f.bold);
  s.t('Payment due 30 days from application date: 05/02/2025.', 40, 370, 9);
  s.t('The undersigned Subcontractor certifies that the Work covered by this Application for Payment has been completed', 40, 400, 7);
  s.t('in accordance with the Contract Documents. SUBCONTRACTOR: Bright Line Electric Co.  By: M. Okafor  Date: 04/02/2025', 40, 410, 7);
  const lines: Line[] = [{ description: 'Electrical rough-in and gear, per schedule of values (period to 03/31/2025)', amount: due }];
  return [
    await doc.save(),
    {
      vendor: 'Bright Line Electric Co.',
      invoiceNumber: 'BLE-2025-014',
      invoiceDate: '2025-04-02',
      dueDate: '2025-05-02',
      total: due,
      currency: 'USD',
      lines,
    },
  ];
}

// ---------------------------------------------------------------- subcontractor, simple progress invoice
export async function progressSimple(): Promise<[Uint8Array, Expected]> {
  const { doc, s, f } = await newDoc('Progress Billing 3', 'Delgado Concrete & Masonry');
  s.t('Delgado Concrete & Masonry LLC', 40, 52, 14, f.bold);
  s.t('3120 W. Buckeye Rd, Phoenix, AZ 85009 · ROC #299114', 40, 67, 8);
  s.r('PROGRESS BILLING', 572, 52, 14, f.bold);
  s.r('Invoice 2025-0317', 572, 68, 10);
  s.r('Date: April 30, 2025', 572, 81, 10);
  s.r('Due: May 30, 2025', 572, 94, 10);
  s.t('Billed to', 40, 110, 8, f.obl);
  s.t('Ridgeline Builders LLC — Southwest Division', 40, 122, 10);
  s.t('Project: Desert Ridge Charter School, Bldg B foundations', 40, 135, 9);
  const contract = 214000;
  const completedPct = 0.65;
  const completed = r2(contract * completedPct);
  const retain = r2(completed * 0.05);
  const prev = 97565;
  const thisInvoice = r2(completed - retain - prev);
  const rows: [string, string][] = [
    ['Contract Amount', usd(contract)],
    ['Approved Change Orders', usd(0)],
    ['Work Completed to Date (65%)', usd(completed)],
    ['Less Retainage (5%)', `(${usd(retain)})`],
    ['Less Previous Billings', `(${usd(prev)})`],
  ];
  let y = 175;
  rows.forEach(([k, v]) => {
    s.t(k, 60, y, 10);
    s.r(v, 540, y, 10);
    y += 18;
  });
  s.hr(y - 8, 300, 545);
  s.t('Amount Due This Invoice', 60, y + 6, 11, f.bold);
  s.r(usd(thisInvoice), 540, y + 6, 11, f.bold);
  s.t('Work this period: footings grid C-F, stem walls, under-slab plumbing coordination.', 40, y + 40, 9);
  s.t('Remit to Delgado Concrete & Masonry LLC by ACH: routing 122000000, account ending 4471.', 40, 730, 8);
  return [
    await doc.save(),
    {
      vendor: 'Delgado Concrete & Masonry LLC',
      invoiceNumber: '2025-0317',
      invoiceDate: '2025-04-30',
      dueDate: '2025-05-30',
      total: thisInvoice,
      currency: 'USD',
      lines: [{ description: 'Progress billing, Bldg B foundations', amount: thisInvoice }],
    },
  ];
}

// ---------------------------------------------------------------- small supplier, plain text-ish layout
export async function hardwareReceiptStyle(): Promise<[Uint8Array, Expected]> {
  const { doc, s, f } = await newDoc('', '');
  const m = f.mono;
  const L = (t: string, y: number) => s.t(t, 60, y, 9, m);
  let y = 50;
  for (const t of [
    '            TRI-COUNTY RENTAL & SUPPLY',
    '         Tri-County Rental & Supply Corp',
    '       509 Route 9W, Newburgh, NY 12550',
    '              Tel 845-555-0133',
    '',
    'INVOICE: 7731-0042        DATE: 09/12/25',
    'TERMS: DUE ON RECEIPT',
    '',
    'CUSTOMER: RIDGELINE BUILDERS LLC',
    'JOB: HUDSON VALLEY DENTAL / PO 88-1432',
    '------------------------------------------------',
    'QTY  ITEM                         PRICE   AMOUNT',
    '  3  CONCRETE MIX 80LB            6.48     19.44',
    ' 10  REBAR #4 20FT               14.15    141.50',
    '  1  WHEELBARROW RENT 1 DAY      22.00     22.00',
    '  2  SAFETY CONE 28IN            18.99     37.98',
    '------------------------------------------------',
    '                      SUBTOTAL            220.92',
    '                      TAX 8.125%           17.95',
    '                      TOTAL               238.87',
    '',
    '          CHARGE TO ACCOUNT 4471-RB',
  ]) {
    L(t, y);
    y += 12;
  }
  return [
    await doc.save(),
    {
      vendor: 'Tri-County Rental & Supply Corp',
      invoiceNumber: '7731-0042',
      invoiceDate: '2025-09-12',
      dueDate: '2025-09-12',
      total: 238.87,
      currency: 'USD',
      lines: [
        { description: 'CONCRETE MIX 80LB', quantity: 3, unitPrice: 6.48, amount: 19.44 },
        { description: 'REBAR #4 20FT', quantity: 10, unitPrice: 14.15, amount: 141.5 },
        { description: 'WHEELBARROW RENT 1 DAY', quantity: 1, unitPrice: 22, amount: 22 },
        { description: 'SAFETY CONE 28IN', quantity: 2, unitPrice: 18.99, amount: 37.98 },
      ],
    },
  ];
}
