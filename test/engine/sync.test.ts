import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { startEngineStack, configureWorkspace, byName, type EngineStack } from './engine-harness.ts';
import { TEAM, newInvoice, pdf } from './sync-helpers.ts';

let s: EngineStack;
let realm: string;
beforeEach(async () => {
  s = await startEngineStack();
  realm = await s.connect(TEAM);
});
afterEach(async () => {
  await s.stop();
});

describe('sync: Bill and Expense', () => {
  it('creates one Bill with the right fields and the original file attached', async () => {
    const { engine, emu } = s;
    const ws = await configureWorkspace(engine, TEAM);
    const bytes = pdf('the original file');
    const inv = await newInvoice(engine, { bytes, projectProfileId: ws.project.id, costCodeProfileId: ws.costCode.id });
    await engine.worker.start();
    expect((await engine.sync.submit(inv.id, 'UPM')).invoice.status).toBe('ready');
    await engine.worker.idle();

    const done = (await engine.invoices.byId(inv.id))!;
    expect(done.status).toBe('synced');
    const bills = emu.entities(realm, 'Bill');
    expect(bills).toHaveLength(1);
    const bill = bills[0];
    expect(bill.VendorRef.value).toBe((await byName(engine, TEAM, 'Vendor', 'United Rentals')).id);
    expect(bill.TotalAmt).toBe(1234.56);
    expect(bill.DocNumber).toBe(inv.invoiceNumber);
    expect(bill.TxnDate).toBe('2026-11-02');
    expect(bill.DueDate).toBe('2026-12-02');
    expect(bill.Line[0].ItemBasedExpenseLineDetail.ItemRef.value).toBe(ws.item.id);
    expect(bill.Line[0].ItemBasedExpenseLineDetail.CustomerRef.value).toBe(ws.customer.id);
    expect(done.qboId).toBe(bill.Id);
    expect(done.qboUrl).toBe(`https://app.sandbox.qbo.intuit.com/app/bill?txnId=${bill.Id}`);

    const atts = emu.entities(realm, 'Attachable');
    expect(atts).toHaveLength(1);
    expect(atts[0].AttachableRef[0].EntityRef).toMatchObject({ type: 'Bill', value: bill.Id });
    expect(atts[0].Size).toBe(bytes.length);
    expect(done.qboAttachableId).toBe(atts[0].Id);

    const history = (await engine.invoices.history(inv.id)).map((e) => e.toStatus);
    expect(history).toEqual(['received', 'ready', 'syncing', 'synced']);
  });

  it('creates an Expense (Purchase) paid by credit card from a Credit Card account', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const visa = await byName(engine, TEAM, 'Account', 'Visa Business');
    const inv = await newInvoice(engine, { txnType: 'Expense', purchaseAccountId: visa.id, amountCents: 41 });
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    expect((await engine.invoices.byId(inv.id))!.status).toBe('synced');
    const [purchase] = emu.entities(realm, 'Purchase');
    expect(purchase).toMatchObject({ PaymentType: 'CreditCard', AccountRef: { value: visa.id }, TotalAmt: 0.41 });
    expect(purchase.EntityRef).toMatchObject({ type: 'Vendor' });
    expect(emu.entities(realm, 'Bill')).toHaveLength(0);
    expect((await engine.invoices.byId(inv.id))!.qboUrl).toContain('/app/expense?txnId=');
  });

  it('waits as ready with Auto-sync off, and goes when it is turned on', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM, { autoSync: false });
    const a = await newInvoice(engine);
    const b = await newInvoice(engine);
    await engine.worker.start();
    await engine.sync.submit(a.id, 'UPM');
    await engine.sync.submit(b.id, 'UPM');
    await engine.worker.idle();
    expect((await engine.invoices.byId(a.id))!.status).toBe('ready');
    expect(emu.entities(realm, 'Bill')).toHaveLength(0);
    await engine.store.workspaces.updateSettings(TEAM, { autoSync: true }, 'UADMIN');
    expect(await engine.sync.queueReady(TEAM, 'UADMIN')).toBe(2);
    await engine.worker.idle();
    expect(emu.entities(realm, 'Bill')).toHaveLength(2);
  });

  it('marks a Bill paid with a BillPayment from its purchase account', async () => {
    const { engine, emu } = s;
    const ws = await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const paid = await engine.sync.markPaid(inv.id, 'UPM');
    const [payment] = emu.entities(realm, 'BillPayment');
    expect(payment).toMatchObject({
      PayType: 'Check',
      CheckPayment: { BankAccountRef: { value: ws.checking.id } },
      TotalAmt: 1234.56,
    });
    expect(payment.Line[0].LinkedTxn[0]).toMatchObject({ TxnId: paid.qboId, TxnType: 'Bill' });
    expect(emu.entities(realm, 'Bill')[0].Balance).toBe(0);
    await engine.sync.markPaid(inv.id, 'UPM'); // idempotent
    expect(emu.entities(realm, 'BillPayment')).toHaveLength(1);
  });
});

describe('sync: exactly once', () => {
  it('a lost QBO answer (QBO created the Bill, we never heard) is retried without a second Bill', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    emu.injectFault({ method: 'POST', path: /\/bill$/, status: 503, afterWork: true, count: 1 });
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    expect((await engine.invoices.byId(inv.id))!.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
    const billPosts = emu.requests.filter((r) => r.method === 'POST' && /\/bill$/.test(r.path));
    expect(billPosts.length).toBe(2); // the retry reached QBO and got the original answer back
    expect(new Set(billPosts.map((r) => r.query.requestid)).size).toBe(1);
  });

  it('a crash between QBO creating the Bill and our database write: the restarted process finishes with one Bill', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    await engine.sync.submit(inv.id, 'UPM'); // queued, not yet run
    // Simulate the crash: QBO does the work, and the process dies before our write (the answer never arrives).
    emu.injectFault({ method: 'POST', path: /\/bill$/, status: 504, afterWork: true, count: 1 });
    await expect(engine.sync.sync(inv.id, 'system')).rejects.toThrow();
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
    // The job row is still "running" with a lease held by the dead process.
    engine.conn.db.$client.prepare(`UPDATE jobs SET status = 'running', lease_until = ? WHERE kind = 'invoice.sync'`).run(Date.now() - 1);
    const restarted = await s.restart();
    await restarted.worker.start();
    await restarted.worker.idle();
    const after = (await restarted.invoices.byId(inv.id))!;
    expect(after.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
    expect(after.qboId).toBe(emu.entities(realm, 'Bill')[0].Id);
    expect(emu.entities(realm, 'Attachable')).toHaveLength(1);
  });

  it('re-submitting unchanged fields keeps the revision; editing a field moves it', async () => {
    const { engine } = s;
    const inv = await newInvoice(engine);
    const fields = {
      txnType: inv.txnType!,
      purchaseAccountId: inv.purchaseAccountId,
      projectProfileId: inv.projectProfileId,
      costCodeProfileId: inv.costCodeProfileId,
      vendorId: inv.vendorId,
      vendorName: inv.vendorName,
      amountCents: inv.amountCents,
      currency: inv.currency,
      invoiceNumber: inv.invoiceNumber,
      invoiceDate: inv.invoiceDate,
      dueDate: inv.dueDate,
      memo: inv.memo,
    };
    expect((await engine.invoices.confirm(inv.id, fields, 'UPM')).revision).toBe(inv.revision);
    expect((await engine.invoices.confirm(inv.id, { ...fields, amountCents: 999 }, 'UPM')).revision).toBe(inv.revision + 1);
  });

  it('a duplicate (same file already synced) is caught before QBO', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const bytes = pdf('same bytes');
    const first = await newInvoice(engine, { bytes });
    await engine.worker.start();
    await engine.sync.submit(first.id, 'UPM');
    await engine.worker.idle();
    const second = await newInvoice(engine, { bytes, invoiceNumber: 'OTHER-1' });
    const out = (await engine.sync.submit(second.id, 'UPM')).invoice;
    expect(out.status).toBe('duplicate');
    expect(out.duplicateOfId).toBe(first.id);
    expect(out.qboUrl).toBe((await engine.invoices.byId(first.id))!.qboUrl);
    const third = await newInvoice(engine, { invoiceNumber: first.invoiceNumber });
    expect((await engine.sync.submit(third.id, 'UPM')).invoice.status).toBe('duplicate');
    await engine.worker.idle();
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
  });
});

describe('sync: QuickBooks already has the bill (entered by hand)', () => {
  it('QBO refuses the duplicate number (6140): the invoice is a duplicate with a link; Sync anyway then books it once', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const vendor = await byName(engine, TEAM, 'Vendor', 'United Rentals');
    const materials = await byName(engine, TEAM, 'Account', 'Job Materials');
    // Someone in the office already typed this bill into QuickBooks.
    const typed = await engine.qbo.create<any>(TEAM, 'Bill', {
      VendorRef: { value: vendor.id },
      DocNumber: 'UR-HAND-1',
      Line: [
        {
          Amount: 10,
          DetailType: 'AccountBasedExpenseLineDetail',
          AccountBasedExpenseLineDetail: { AccountRef: { value: materials.id } },
        },
      ],
    });
    const inv = await newInvoice(engine, { invoiceNumber: 'UR-HAND-1' });
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const dup = (await engine.invoices.byId(inv.id))!;
    expect(dup).toMatchObject({ status: 'duplicate', qboCode: '6140' });
    expect(dup.qboUrl).toBe(`https://app.sandbox.qbo.intuit.com/app/bill?txnId=${typed.Id}`);
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);

    await engine.invoices.patch(inv.id, { allowDuplicate: true }); // an admin's "Sync anyway"
    await engine.sync.submit(inv.id, 'UADMIN');
    await engine.worker.idle();
    expect((await engine.invoices.byId(inv.id))!.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(2);
    const posts = emu.requests.filter((r) => r.method === 'POST' && /\/bill$/.test(r.path));
    expect(posts.at(-1)!.query.include).toBe('allowduplicatedocnum');
  });
});
