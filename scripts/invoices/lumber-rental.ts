/** Lumber-yard and equipment-rental invoices for scripts/make-invoices.ts. */
import { type Expected, type Line, newDoc, num, r2, usd } from './sheet.ts';

// ---------------------------------------------------------------- lumber yard, classic layout
export async function lumberYard(): Promise<[Uint8Array, Expected]> {
  const { doc, s, f } = await newDoc('Invoice 204871', 'Cascade Lumber & Building Supply');
  s.t('Cascade Lumber & Building Supply, Inc.', 40, 50, 16, f.bold);
  s.t('8800 Industrial Way  ·  Tacoma, WA 98421', 40, 68, 9);
  s.t('(253) 555-0142  ·  ar@cascadelumber.example', 40, 80, 9);
  s.t('INVOICE', 460, 50, 20, f.bold);
  const rows: [string, string][] = [
    ['Invoice #:', '204871'],
    ['Invoice Date:', '03/04/2025'],
    ['Customer #:', 'C-11907'],
    ['PO #:', 'RB-2291'],
    ['Terms:', 'Net 30'],
    ['Due Date:', '04/03/2025'],
  ];
  rows.forEach(([k, v], i) => {
    s.t(k, 400, 100 + i * 14, 9, f.bold);
    s.r(v, 572, 100 + i * 14, 9);
  });
  s.t('Sold To:', 40, 120, 9, f.bold);
  ['Ridgeline Builders LLC', 'Attn: Accounts Payable', '2150 Summit Ave', 'Seattle, WA 98109'].forEach((l, i) => s.t(l, 40, 134 + i * 12, 9));
  s.t('Ship To:', 220, 120, 9, f.bold);
  ['Job: Maple St. Medical Office', '1420 Maple St', 'Renton, WA 98057'].forEach((l, i) => s.t(l, 220, 134 + i * 12, 9));
  const lines: Line[] = [
    { description: '2x4x8 KD Douglas Fir Stud', quantity: 240, unitPrice: 4.89, amount: 0 },
    { description: '2x10x16 #2 Hem-Fir', quantity: 36, unitPrice: 28.75, amount: 0 },
    { description: '4x8 7/16 OSB Sheathing', quantity: 80, unitPrice: 17.49, amount: 0 },
    { description: 'Simpson LUS28 Joist Hanger', quantity: 50, unitPrice: 2.36, amount: 0 },
    { description: '16d Sinker Nails 50 lb Box', quantity: 4, unitPrice: 89.0, amount: 0 },
  ];
  for (const l of lines) l.amount = r2(l.quantity! * l.unitPrice!);
  let y = 210;
  s.box(40, y - 12, 532, 18, 0.9);
  s.t('Qty', 46, y, 9, f.bold);
  s.t('Description', 100, y, 9, f.bold);
  s.r('Unit Price', 470, y, 9, f.bold);
  s.r('Ext. Price', 566, y, 9, f.bold);
  y += 20;
  for (const l of lines) {
    s.t(String(l.quantity), 46, y, 9);
    s.t(l.description, 100, y, 9);
    s.r(num(l.unitPrice!), 470, y, 9);
    s.r(num(l.amount), 566, y, 9);
    y += 16;
  }
  const subtotal = r2(lines.reduce((a, l) => a + l.amount, 0));
  const delivery = 85;
  const tax = r2((subtotal + delivery) * 0.101);
  const total = r2(subtotal + delivery + tax);
  y += 10;
  s.hr(y - 10, 360);
  const tot: [string, string][] = [
    ['Subtotal', num(subtotal)],
    ['Delivery', num(delivery)],
    ['Sales Tax (10.1%)', num(tax)],
    ['Total', usd(total)],
    ['Payments/Credits', '0.00'],
    ['Amount Due', usd(total)],
  ];
  tot.forEach(([k, v], i) => {
    s.t(k, 370, y + i * 15, 10, k === 'Amount Due' || k === 'Total' ? f.bold : f.reg);
    s.r(v, 566, y + i * 15, 10, k === 'Amount Due' || k === 'Total' ? f.bold : f.reg);
  });
  s.t('Please remit to: Cascade Lumber & Building Supply, Inc., PO Box 4410, Tacoma, WA 98401', 40, 720, 8, f.reg);
  s.t('A service charge of 1.5% per month will be added to past due accounts.', 40, 732, 8, f.obl);
  return [
    await doc.save(),
    {
      vendor: 'Cascade Lumber & Building Supply, Inc.',
      invoiceNumber: '204871',
      invoiceDate: '2025-03-04',
      dueDate: '2025-04-03',
      total,
      currency: 'USD',
      lines,
    },
  ];
}

// ---------------------------------------------------------------- lumber yard, header band + 2 pages
export async function lumberYardBand(): Promise<[Uint8Array, Expected]> {
  const { doc, s, f } = await newDoc('INV 0088123', 'Ponderosa Building Materials');
  s.t('PONDEROSA', 40, 48, 22, f.bold);
  s.t('BUILDING MATERIALS', 40, 64, 10, f.bold);
  s.t('Ponderosa Building Materials Co.', 330, 40, 9, f.bold);
  s.t('1901 E. Lincoln Hwy', 330, 52, 9);
  s.t('Cheyenne, WY 82001', 330, 64, 9);
  s.t('www.ponderosabm.example', 330, 76, 9);
  s.c('INVOICE', 306, 110, 14, f.bold);
  const heads = ['INVOICE NO.', 'INVOICE DATE', 'ACCOUNT', 'CUSTOMER PO', 'TERMS', 'DUE DATE'];
  const vals = ['0088123', 'May 6, 2025', '40-2217', 'MAPLE-114', '2% 10 Net 30', 'June 5, 2025'];
  const xs = [40, 128, 222, 300, 390, 480];
  s.box(40, 122, 532, 34);
  heads.forEach((h, i) => s.t(h, xs[i] + 4, 134, 7, f.bold));
  vals.forEach((v, i) => s.t(v, xs[i] + 4, 150, 9));
  s.t('BILL TO', 40, 180, 8, f.bold);
  ['RIDGELINE BUILDERS LLC', '2150 SUMMIT AVE', 'SEATTLE WA 98109'].forEach((l, i) => s.t(l, 40, 192 + i * 11, 9));
  s.t('DELIVER TO', 300, 180, 8, f.bold);
  ['LARAMIE COUNTY LIBRARY ANNEX', '2200 PIONEER AVE', 'CHEYENNE WY 82001'].forEach((l, i) => s.t(l, 300, 192 + i * 11, 9));
  const items: [string, string, number, string, number][] = [
    ['LVL1134', '1-3/4 x 11-7/8 LVL 20ft', 12, 'EA', 131.4],
    ['PT2612', '2x6x12 Ground Contact PT', 64, 'EA', 14.97],
    ['CDX34', '3/4 CDX Plywood 4x8', 45, 'EA', 52.25],
    ['HWR10', 'Tyvek HomeWrap 10ft x 150ft', 6, 'RL', 224.0],
    ['SIL6', 'Sill Seal Foam Gasket 5.5in x 50ft', 10, 'RL', 11.48],
    ['ANC12', '1/2 x 12 Anchor Bolt w/ Nut & Washer', 120, 'EA', 2.19],
    ['GLU28', 'PL400 Subfloor Adhesive 28oz', 48, 'EA', 8.97],
    ['JST14', '14in I-Joist 24ft', 30, 'EA', 96.5],
    ['RIM14', '1-1/8 x 14 Rim Board 16ft', 14, 'EA', 61.2],
    ['SCR3', '3in Deck Screws 25 lb', 5, 'BX', 118.0],
    ['FLS6', '6in Self-Adhered Flashing 75ft', 8, 'RL', 43.6],
    ['STR2', 'Strapping 2x2x8', 100, 'EA', 2.49],
  ];
  const lines: Line[] = items.map(([, d, q, , p]) => ({
    description: d,
    quantity: q,
    unitPrice: p,
    amount: r2(q * p),
  }));
  const header = (y: number) => {
    s.hr(y - 12);
    s.t('ITEM', 40, y, 8, f.bold);
    s.t('DESCRIPTION', 110, y, 8, f.bold);
    s.r('QTY', 380, y, 8, f.bold);
    s.t('UM', 392, y, 8, f.bold);
    s.r('PRICE', 480, y, 8, f.bold);
    s.r('AMOUNT', 572, y, 8, f.bold);
    s.hr(y + 4);
  };
  let y = 250;
  header(y);
  y += 18;
  items.forEach(([code, d, q, um, p], i) => {
    if (i === 9) {
      s.c('Continued on next page', 306, 760, 8, f.obl);
      s.newPage();
      s.t('Ponderosa Building Materials Co.  —  Invoice 0088123 (continued)', 40, 40, 9, f.bold);
      y = 80;
      header(y);
      y += 18;
    }
    s.t(code, 40, y, 9, f.mono);
    s.t(d, 110, y, 9);
    s.r(String(q), 380, y, 9);
    s.t(um, 392, y, 9);
    s.r(num(p), 480, y, 9);
    s.r(num(lines[i].amount), 572, y, 9);
    y += 15;
  });
  const subtotal = r2(lines.reduce((a, l) => a + l.amount, 0));
  const tax = r2(subtotal * 0.06);
  const total = r2(subtotal + tax);
  y += 12;
  s.hr(y - 10, 380);
  s.t('MERCHANDISE', 390, y, 9);
  s.r(num(subtotal), 572, y, 9);
  s.t('SALES TAX 6.000%', 390, y + 14, 9);
  s.r(num(tax), 572, y + 14, 9);
  s.t('INVOICE TOTAL', 390, y + 32, 10, f.bold);
  s.r(usd(total), 572, y + 32, 10, f.bold);
  s.t(`Take ${usd(r2(subtotal * 0.02))} discount if paid by May 16, 2025.`, 40, y + 60, 8, f.obl);
  s.t('Ponderosa Building Materials Co. is an equal opportunity employer. Thank you for your business!', 40, 740, 7);
  return [
    await doc.save(),
    {
      vendor: 'Ponderosa Building Materials Co.',
      invoiceNumber: '0088123',
      invoiceDate: '2025-05-06',
      dueDate: '2025-06-05',
      total,
      currency: 'USD',
      lines,
    },
  ];
}

// ---------------------------------------------------------------- equipment rental
export async function equipmentRental(): Promise<[Uint8Array, Expected]> {
  const { doc, s, f } = await newDoc('Rental Invoice R-558201', 'Summit Equipment Rentals');
  s.t('RENTAL INVOICE', 40, 46, 18, f.bold);
  s.t('Summit Equipment Rentals LLC', 40, 66, 11, f.bold);
  s.t('44 Quarry Road, Golden, CO 80401  |  303-555-0199', 40, 79, 9);
  // Label column / value column, values right of the labels.
  const meta: [string, string][] = [
    ['Invoice Number', 'R-558201'],
    ['Contract', 'CN-77120'],
    ['Invoice Date', '02/18/2025'],
    ['Rental Out', '02/03/2025 7:00 AM'],
    ['Rental Return', '02/17/2025 3:30 PM'],
    ['Payment Due', '03/20/2025'],
  ];
  meta.forEach(([k, v], i) => {
    s.t(k, 370, 46 + i * 13, 9, f.bold);
    s.t(v, 465, 46 + i * 13, 9);
  });
  s.box(40, 140, 250, 62);
  s.t('CUSTOMER', 46, 152, 8, f.bold);
  ['Ridgeline Builders LLC', '2150 Summit Ave', 'Seattle, WA 98109', 'Acct 300912'].forEach((l, i) => s.t(l, 46, 164 + i * 11, 9));
  s.box(310, 140, 262, 62);
  s.t('JOB SITE', 316, 152, 8, f.bold);
  ['Clear Creek Retaining Wall', 'Hwy 6 MM 268', 'Ordered by: J. Alvarez'].forEach((l, i) => s.t(l, 316, 164 + i * 11, 9));
  const lines: Line[] = [
    { description: 'CAT 320 Excavator 20T - Weekly', quantity: 2, unitPrice: 2450, amount: 4900 },
    { description: 'Hydraulic Breaker Attachment - Weekly', quantity: 2, unitPrice: 780, amount: 1560 },
    { description: 'Damage Waiver 12%', amount: 775.2 },
    { description: 'Delivery & Pickup (Lowboy)', quantity: 2, unitPrice: 325, amount: 650 },
    { description: 'Fuel Refill 38 gal', quantity: 38, unitPrice: 5.25, amount: 199.5 },
    { description: 'Environmental Fee', amount: 42.0 },
  ];
  let y = 226;
  s.box(40, y - 12, 532, 18, 0.92);
  s.t('Description', 46, y, 9, f.bold);
  s.r('Qty', 380, y, 9, f.bold);
  s.r('Rate', 470, y, 9, f.bold);
  s.r('Amount', 566, y, 9, f.bold);
  y += 20;
  for (const l of lines) {
    s.t(l.description, 46, y, 9);
    if (l.quantity !== undefined) s.r(String(l.quantity), 380, y, 9);
    if (l.unitPrice !== undefined) s.r(num(l.unitPrice), 470, y, 9);
    s.r(num(l.amount), 566, y, 9);
    y += 16;
  }
  const subtotal = r2(lines.reduce((a, l) => a + l.amount, 0));
  const tax = r2(subtotal * 0.029);
  const total = r2(subtotal + tax);
  y += 16;
  s.t('Rental/Sales Subtotal', 360, y, 9);
  s.r(num(subtotal), 566, y, 9);
  s.t('State Sales Tax 2.9%', 360, y + 14, 9);
  s.r(num(tax), 566, y + 14, 9);
  s.box(355, y + 22, 217, 20, 0.85);
  s.t('TOTAL DUE', 362, y + 36, 11, f.bold);
  s.r(usd(total), 566, y + 36, 11, f.bold);
  s.t('Make checks payable to Summit Equipment Rentals LLC. Card payments: pay.summitrentals.example', 40, 700, 8);
  s.t('Equipment returned dirty will be charged a cleaning fee. Questions? billing@summitrentals.example', 40, 712, 8);
  return [
    await doc.save(),
    {
      vendor: 'Summit Equipment Rentals LLC',
      invoiceNumber: 'R-558201',
      invoiceDate: '2025-02-18',
      dueDate: '2025-03-20',
      total,
      currency: 'USD',
      lines,
    },
  ];
}

// ---------------------------------------------------------------- equipment rental, labels above values
export async function equipmentRentalStacked(): Promise<[Uint8Array, Expected]> {
  const { doc, s, f } = await newDoc('Invoice', 'Big Sky Aerial & Lift');
  s.t('Big Sky Aerial & Lift, Inc.', 40, 50, 15, f.bold);
  s.t('PO Box 30218, Billings, MT 59107', 40, 66, 9);
  s.t('Invoice', 480, 50, 15, f.bold);
  // Labels above values, in a grid.
  const grid: [string, string, number, number][] = [
    ['Invoice No.', '00041977', 360, 80],
    ['Date', '11/07/2025', 470, 80],
    ['Terms', 'Net 15', 360, 112],
    ['Due', '11/22/2025', 470, 112],
  ];
  for (const [k, v, x, y] of grid) {
    s.t(k, x, y, 8, f.bold);
    s.t(v, x, y + 12, 10);
  }
  s.t('Bill To', 40, 100, 8, f.bold);
  ['Ridgeline Builders LLC', '2150 Summit Ave', 'Seattle, WA 98109'].forEach((l, i) => s.t(l, 40, 112 + i * 11, 9));
  const lines: Line[] = [
    { description: 'Genie S-65 Boom Lift, 4 weeks (10/06-11/02)', quantity: 1, unitPrice: 3150, amount: 3150 },
    { description: 'JLG 1930ES Scissor Lift, 4 weeks', quantity: 2, unitPrice: 640, amount: 1280 },
    { description: 'Transport', quantity: 1, unitPrice: 290, amount: 290 },
  ];
  let y = 190;
  s.hr(y - 12);
  s.t('Item', 40, y, 9, f.bold);
  s.r('Qty', 400, y, 9, f.bold);
  s.r('Rate', 480, y, 9, f.bold);
  s.r('Amount', 572, y, 9, f.bold);
  s.hr(y + 5);
  y += 20;
  for (const l of lines) {
    s.t(l.description, 40, y, 9);
    s.r(String(l.quantity), 400, y, 9);
    s.r(num(l.unitPrice!), 480, y, 9);
    s.r(num(l.amount), 572, y, 9);
    y += 15;
  }
  const subtotal = r2(lines.reduce((a, l) => a + l.amount, 0));
  const total = subtotal; // Montana: no sales tax
  y += 20;
  s.t('Total', 430, y, 10, f.bold);
  s.r(usd(total), 572, y, 10, f.bold);
  s.t('Payments/Credits', 430, y + 15, 9);
  s.r('$0.00', 572, y + 15, 9);
  s.t('Balance Due', 430, y + 30, 10, f.bold);
  s.r(usd(total), 572, y + 30, 10, f.bold);
  s.t('Thank you! Rental rates are per 28-day billing cycle.', 40, 720, 8, f.obl);
  return [
    await doc.save(),
    {
      vendor: 'Big Sky Aerial & Lift, Inc.',
      invoiceNumber: '00041977',
      invoiceDate: '2025-11-07',
      dueDate: '2025-11-22',
      total,
      currency: 'USD',
      lines,
    },
  ];
}
