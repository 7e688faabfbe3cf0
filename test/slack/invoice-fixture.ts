import type { Invoice } from '../../src/invoices/service.ts';

/** An invoice row for the pure view tests (no database): read, matched, not yet reviewed. */
export function invoice(p: Partial<Invoice> = {}): Invoice {
  return {
    id: 7, teamId: 'T1', status: 'extracted', revision: 0, source: 'channel', slackFileId: 'F1', channelId: 'C1', messageTs: '1.1', cardTs: null,
    uploadedBy: 'U1', submittedBy: null, fileName: 'inv.pdf', mimeType: 'application/pdf', fileSize: 3, sha256: 'x',
    extracted: null, extractionError: null, txnType: 'Bill', purchaseAccountId: 'A1', projectProfileId: 1, costCodeProfileId: null, vendorId: 'V1',
    vendorName: 'Azure Interior', amountCents: 27984, currency: 'USD', invoiceNumber: 'INV-1', invoiceDate: '2023-03-20', dueDate: null, memo: null,
    statusReason: null, blockCause: null, qboCode: null, qboId: null, qboDocNumber: null, qboUrl: null, qboAttachableId: null, qboPaymentId: null,
    duplicateOfId: null, allowDuplicate: false, syncedAt: null, createdAt: '', updatedAt: '', ...p,
  } as Invoice;
}
