import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import type { Invoice } from '../../src/invoices/service.ts';
import { invoiceCard } from '../../src/slack/views/invoice-card.ts';
import type { Reason } from '../../src/invoices/reasons.ts';
import { T, connectQbo } from './intake-helpers.ts';

/** Text from QuickBooks or people never becomes Slack markup (a company or account named `<!channel>` pings nobody). */

const EVIL = 'A&B <!channel> <https://evil.example|click>';

function paidInvoice(reason: Reason | null, statusReason: string | null = reason?.code ?? null): Invoice {
  return {
    id: 7,
    teamId: 'T1',
    status: 'synced',
    revision: 0,
    source: 'channel',
    slackFileId: 'F1',
    channelId: 'C1',
    messageTs: '1.1',
    cardTs: null,
    uploadedBy: 'U1',
    submittedBy: null,
    fileName: 'inv.pdf',
    mimeType: 'application/pdf',
    fileSize: 3,
    sha256: 'x',
    extracted: null,
    extractionError: null,
    txnType: 'Bill',
    purchaseAccountId: 'A1',
    projectProfileId: null,
    costCodeProfileId: null,
    vendorId: 'V1',
    vendorName: 'Azure Interior',
    amountCents: 27984,
    currency: 'USD',
    invoiceNumber: 'INV-1',
    invoiceDate: '2023-03-20',
    dueDate: null,
    memo: null,
    statusReason,
    reason,
    blockCause: null,
    qboCode: null,
    qboId: '9',
    qboDocNumber: 'INV-1',
    qboUrl: 'https://q/app/bill?txnId=9',
    qboAttachableId: null,
    qboPaymentId: '3',
    duplicateOfId: null,
    allowDuplicate: false,
    syncedAt: null,
    createdAt: 0,
    updatedAt: 0,
  } as Invoice;
}

describe('the paid card', () => {
  it('escapes the reason (a QBO account name) and keeps the payer mention', () => {
    const reasonOf = (inv: Invoice) =>
      invoiceCard({ inv, autoSync: true }).blocks.find((b: any) => b.block_id === 'invoice_reason').text.text as string;
    const paid = paidInvoice({ code: 'paid', params: { account: EVIL, by: 'UADMIN' } });
    expect(reasonOf(paid)).toBe(':moneybag: Paid from A&amp;B &lt;!channel&gt; &lt;https://evil.example|click&gt; by <@UADMIN>');
    // Only the payer's id becomes a mention; an account named like one, or an old row's sentence, stays text.
    expect(reasonOf(paidInvoice({ code: 'paid', params: { account: '<@U1>', by: 'UADMIN' } }))).toBe(':moneybag: Paid from &lt;@U1&gt; by <@UADMIN>');
    expect(reasonOf(paidInvoice(null, 'Paid from Visa by <@U2>'))).toBe(':moneybag: Paid from Visa by &lt;@U2&gt;');
  });
});

describe('/qbo status', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await connectQbo(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('escapes the QuickBooks company name', async () => {
    await stack.app.engine.connections.setCompanyName(T, EVIL);
    await stack.driver.command({ teamId: T, userId: 'UPM', command: '/qbo', text: 'status' });
    const status = await waitFor(() => stack.slack.messages().find((m) => m.user === 'UPM' && /QuickBooks: connected to/.test(m.text ?? '')));
    expect(status.text).toContain('connected to *A&amp;B &lt;!channel&gt; &lt;https://evil.example|click&gt;*');
    expect(status.text).not.toContain('<!channel>');
  }, 60_000);
});
