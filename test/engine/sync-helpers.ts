/** Shared by sync*.test.ts: the team, a throwaway PDF and an invoice confirmed with plausible Bill fields. */
import type { Engine } from '../../src/engine.ts';
import { byName } from './engine-harness.ts';

export const TEAM = 'T1';
let n = 0;
export const pdf = (label = `invoice ${++n}`) => Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);

export async function newInvoice(engine: Engine, fields: Partial<Parameters<Engine['invoices']['confirm']>[1]> & { bytes?: Buffer } = {}) {
  const { bytes, ...rest } = fields;
  const { invoice } = await engine.invoices.create({
    teamId: TEAM,
    source: 'upload',
    bytes: bytes ?? pdf(),
    fileName: 'invoice.pdf',
    mimeType: 'application/pdf',
    uploadedBy: 'UFOREMAN',
  });
  const vendor = await byName(engine, TEAM, 'Vendor', 'United Rentals');
  return await engine.invoices.confirm(
    invoice.id,
    {
      txnType: 'Bill',
      purchaseAccountId: null,
      projectProfileId: null,
      costCodeProfileId: null,
      vendorId: vendor.id,
      vendorName: vendor.name,
      amountCents: 123456,
      currency: 'USD',
      invoiceNumber: `UR-${1000 + n}`,
      invoiceDate: '2026-11-02',
      dueDate: '2026-12-02',
      memo: 'Excavator rental',
      ...rest,
    },
    'UPM',
  );
}
