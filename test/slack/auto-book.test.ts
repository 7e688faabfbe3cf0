import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import type { PostedMessage } from '../../emulators/slack/index.ts';
import { byName, expectNothingRejected, latest, settle, setUpWorkspace, share, T, textOf, type Workspace } from './intake-helpers.ts';
import { captureQboBodies, lumberPdf } from './accounting-helpers.ts';

/**
 * Auto-book end to end (issue 14): with Auto-sync on and a pinned rule marked auto-book, a recognised invoice from the
 * vendor is booked without the review modal once the card's Undo window ends; Undo (the uploader or an admin) cancels
 * it before anything reaches QuickBooks.
 */

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

const VENDOR = 'Cascade Lumber & Building Supply, Inc.';

async function pinnedAutoBook(o: { autoSync?: boolean } = {}): Promise<Workspace> {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', AUTO_BOOK_UNDO_SECONDS: '3' } });
  const ws = await setUpWorkspace(stack, { autoSync: o.autoSync ?? true });
  const cascade = await byName(stack.app.engine, 'Vendor', VENDOR);
  await stack.app.engine.vendorRules.pin(
    T,
    { id: cascade.id, name: cascade.name },
    {
      txnType: 'Bill',
      purchaseAccountId: ws.checking.id,
      costCodeProfileId: ws.costCode.id,
      memoPattern: 'Lumber {number}',
      autoBook: true,
    },
    'UADMIN',
  );
  return ws;
}

const shareCascade = async (number: string) =>
  (
    await share(stack, `${number}.pdf`, {
      bytes: await lumberPdf({
        vendor: VENDOR,
        number,
        lines: [
          ['Framing lumber', 480],
          ['Sheathing', 120.25],
        ],
      }),
    })
  ).card;

/** The card once it shows the pending booking (its Undo). */
const withUndo = (card: PostedMessage) =>
  waitFor(
    () => {
      const now = latest(stack, card);
      return now.blocks?.some((b: any) => b.block_id === 'invoice_auto_book') ? now : undefined;
    },
    'card with Undo',
    10_000,
  );

const ephemeralsTo = (user: string) =>
  stack.slack
    .messages('CJOB1')
    .filter((m) => m.ephemeral && (m as any).user === user)
    .map((m) => textOf(m));
const postsSince = (t0: number) => stack.qbo.requests.filter((r) => r.method === 'POST' && r.at >= t0);

describe('auto-book by a pinned vendor rule', () => {
  it('books a Bill coded as the rule says, without the review modal, when the Undo window ends', async () => {
    const ws = await pinnedAutoBook();
    const bodies = captureQboBodies(stack);
    const card = await withUndo(await shareCascade('CL-2001'));
    expect(textOf(card)).toMatch(/Will be booked as \*Bill · from Operating Checking · cost code Concrete\* at <!date\^\d+\^\{time\}\|/);
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0); // nothing before the window ends
    await settle(stack);
    const bills = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bills).toHaveLength(1);
    expect(bills[0]).toMatchObject({ TotalAmt: 600.25, PrivateNote: 'Lumber CL-2001', DocNumber: 'CL-2001' });
    const line = bills[0].Line[0].ItemBasedExpenseLineDetail;
    expect([line.ItemRef.value, line.CustomerRef.value]).toEqual([ws.item.id, ws.customer.id]);
    expect(stack.slack.openModalStack(T, 'UFOREMAN')).toHaveLength(0);
    const inv = (await stack.app.engine.invoices.list(T))[0];
    expect([inv.status, inv.submittedBy]).toEqual(['synced', 'auto-book']);
    const after = latest(stack, card);
    expect(after.blocks?.some((b: any) => b.block_id === 'invoice_auto_book')).toBe(false);
    expectNothingRejected(stack);
    await bodies.save('auto-book-bill', 'Bill');
  }, 90_000);

  it('Undo by the uploader within the window: nothing reaches QuickBooks, the invoice is back to review', async () => {
    const ws = await pinnedAutoBook();
    const t0 = Date.now();
    const card = await withUndo(await shareCascade('CL-2002'));
    await stack.driver.clickButton({ teamId: T, userId: 'UFOREMAN', where: card, actionId: 'invoice_undo_auto_book' });
    await waitFor(() => ephemeralsTo('UFOREMAN').find((t) => t.includes('Undone')), 'undo confirmation', 5000);
    await new Promise((r) => setTimeout(r, 3500)); // past the window
    await settle(stack);
    expect(postsSince(t0)).toEqual([]);
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    const inv = (await stack.app.engine.invoices.list(T))[0];
    expect([inv.status, inv.submittedBy]).toEqual(['extracted', null]);
    const now = latest(stack, card);
    const buttons = now.blocks!.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements.map((e: any) => e.action_id));
    expect(buttons).toContain('invoice_review');
    expect(buttons).not.toContain('invoice_undo_auto_book');
    expectNothingRejected(stack);
  }, 90_000);

  it('someone else’s Undo is refused and the booking goes ahead', async () => {
    const ws = await pinnedAutoBook();
    const card = await withUndo(await shareCascade('CL-2003'));
    await stack.driver.clickButton({ teamId: T, userId: 'UPM', where: card, actionId: 'invoice_undo_auto_book' });
    await waitFor(
      () => ephemeralsTo('UPM').find((t) => t.includes('Only the person who shared this invoice or a QuickBooks admin')),
      'refusal',
      5000,
    );
    await settle(stack);
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expect((await stack.app.engine.invoices.list(T))[0].status).toBe('synced');
  }, 90_000);
  it('an admin may undo someone else’s invoice', async () => {
    const ws = await pinnedAutoBook();
    const card = await withUndo(await shareCascade('CL-2004'));
    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: card, actionId: 'invoice_undo_auto_book' });
    await waitFor(() => ephemeralsTo('UADMIN').find((t) => t.includes('Undone')), 'undo confirmation', 5000);
    await new Promise((r) => setTimeout(r, 3500));
    await settle(stack);
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    expect((await stack.app.engine.invoices.list(T))[0].status).toBe('extracted');
  }, 90_000);

  it('with Auto-sync off the pinned rule only preselects: no Undo, nothing booked', async () => {
    const ws = await pinnedAutoBook({ autoSync: false });
    const card = await shareCascade('CL-2005');
    await settle(stack);
    const now = latest(stack, card);
    expect(now.blocks?.some((b: any) => b.block_id === 'invoice_auto_book')).toBe(false);
    expect(textOf(now)).toContain('Coded by the rule an admin set for');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    expect((await stack.app.engine.invoices.list(T))[0].status).toBe('extracted');
  }, 90_000);
});
