import type { InvoiceFileStore } from '../store/invoice-files.ts';
import type { QboClient } from '../qbo/client.ts';
import { attachmentOf } from './attachment.ts';
import { documentTypeOf } from './coding.ts';
import { requestIdFor, type Invoice, type Invoices } from './service.ts';

/** Attaches the original file (a JPEG copy for HEIC/WebP, which QBO refuses) to the transaction (idempotent: its own requestid). */
export async function attachFile(deps: { qbo: QboClient; files: InvoiceFileStore; invoices: Invoices }, inv: Invoice): Promise<Invoice> {
  const file = await attachmentOf({ bytes: await deps.files.bytes(inv.id), fileName: inv.fileName, mimeType: inv.mimeType });
  const att = await deps.qbo.attach(inv.teamId, {
    entityType: documentTypeOf(inv.extracted) === 'credit_note' ? 'VendorCredit' : inv.txnType === 'Expense' ? 'Purchase' : 'Bill',
    entityId: inv.qboId!,
    fileName: file.fileName,
    contentType: file.contentType,
    bytes: file.bytes,
    requestId: requestIdFor(inv, 'att'),
    ...(file.convertedFrom
      ? {
          note: `JPEG copy of the ${file.convertedFrom.replace('image/', '').toUpperCase()} photo shared in Slack (QuickBooks does not take that format)`,
        }
      : {}),
  });
  return deps.invoices.patch(inv.id, { qboAttachableId: String(att.Id), statusReason: 'created', reason: { code: 'created' } });
}
