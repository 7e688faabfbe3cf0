import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createLogger } from '../../src/log.ts';
import { startApp } from '../../src/server.ts';
import { createEngine } from '../../src/engine.ts';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, fixture, setUpWorkspace, share, textOf, threadCard, settle, expectNothingRejected } from './intake-helpers.ts';

/** A restart or a crash loses nothing: what was stored gets finished, and a SIGTERM lets work in flight land. */

let stack: Stack;
beforeEach(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
});
afterEach(async () => {
  await stack?.stop();
});

async function restartApp(s: Stack) {
  await s.app.stop();
  s.app = await startApp(
    s.config,
    createLogger(s.config.logLevel, {}, (l) => s.logs.push(l)),
  );
}

describe('restarts', () => {
  it('an invoice a crash left stored but unread is read at the next start, and its card appears in the thread', async () => {
    await setUpWorkspace(stack);
    const name = 'us-rental-summit.pdf';
    const file = stack.slack.addFile(T, { name, mimetype: 'application/pdf', bytes: fixture(name), user: 'UFOREMAN' });
    const message = stack.slack.postUserMessage(T, { channel: 'CJOB1', user: 'UFOREMAN', files: [file] });
    // The process stored the file, then died before reading it (no card was posted).
    const { invoice } = await stack.app.engine.invoices.create({
      teamId: T,
      source: 'channel',
      bytes: fixture(name),
      fileName: name,
      mimeType: 'application/pdf',
      slackFileId: file.id,
      channelId: 'CJOB1',
      messageTs: message.ts,
      uploadedBy: 'UFOREMAN',
    });
    expect(threadCard(stack, 'CJOB1', message.ts)).toBeUndefined();

    await restartApp(stack);
    const card = await waitFor(() => threadCard(stack, 'CJOB1', message.ts), 'the card after the restart', 20_000);
    expect(textOf(card)).toContain('Summit Equipment Rentals LLC');
    expect(textOf(card)).toContain('$8,362.37');
    expect(await stack.app.engine.invoices.byId(invoice.id)).toMatchObject({ status: 'extracted', amountCents: 836237, invoiceNumber: 'R-558201' });
    // Slack's late redelivery of the same upload changes nothing.
    await stack.driver.event({ teamId: T, event: { type: 'file_shared', file_id: file.id, channel_id: 'CJOB1', user_id: 'UFOREMAN' } });
    await settle(stack);
    expect(await stack.app.engine.invoices.list(T)).toHaveLength(1);
    expectNothingRejected(stack);
  }, 60_000);

  it('a sync queued before a restart runs after it', async () => {
    const ws = await setUpWorkspace(stack, { autoSync: true });
    const { card } = await share(stack, 'us-rental-bigsky.pdf');
    const inv = (await stack.app.engine.invoices.list(T))[0];
    await stack.app.engine.worker.stop(); // the worker is busy elsewhere / the process is about to stop
    await stack.app.engine.invoices.confirm(
      inv.id,
      {
        txnType: 'Bill',
        purchaseAccountId: null,
        projectProfileId: ws.project.id,
        costCodeProfileId: ws.costCode.id,
        vendorId: inv.vendorId,
        vendorName: inv.vendorName,
        amountCents: inv.amountCents,
        currency: 'USD',
        invoiceNumber: inv.invoiceNumber,
        invoiceDate: inv.invoiceDate,
        dueDate: inv.dueDate,
        memo: null,
      },
      'UFOREMAN',
    );
    expect((await stack.app.engine.sync.submit(inv.id, 'UFOREMAN')).invoice.status).toBe('ready'); // queued, not run
    await restartApp(stack);
    await settle(stack);
    expect((await stack.app.engine.invoices.byId(inv.id))!.status).toBe('synced');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expect(textOf(stack.slack.messages('CJOB1').find((m) => m.ts === card.ts))).toContain('In QuickBooks as Bill');
  }, 60_000);
});

describe('graceful shutdown', () => {
  it('a file shared just before SIGTERM is stored, read and announced before the database closes', async () => {
    await setUpWorkspace(stack);
    const name = 'us-lumber-cascade.pdf';
    const file = stack.slack.addFile(T, { name, mimetype: 'application/pdf', bytes: fixture(name), user: 'UFOREMAN' });
    const shared = await stack.driver.shareFile({ teamId: T, userId: 'UFOREMAN', channelId: 'CJOB1', file });
    await stack.app.stop(); // Slack got its ack; the download and reading were still under way
    expect(threadCard(stack, 'CJOB1', shared.message.ts)).toBeTruthy();
    const db = new Database(stack.config.databasePath, { readonly: true });
    try {
      const row = db.prepare('SELECT status, invoice_number, amount_cents FROM invoices').get();
      expect(row).toEqual({ status: 'extracted', invoice_number: '204871', amount_cents: 458765 });
    } finally {
      db.close();
    }
    expect(stack.logs.filter((l) => /"level":"error"/.test(l))).toEqual([]);
  }, 60_000);
});

describe('Slack hiccups', () => {
  it('a DM and a card update Slack refused are retried from the queue, so the news still arrives', async () => {
    const ws = await setUpWorkspace(stack);
    const { card } = await share(stack, 'us-rental-summit.pdf');
    const inv = (await stack.app.engine.invoices.list(T))[0];
    // Slack has an outage just as QuickBooks answers: the card update and the DM both fail once.
    stack.slack.failNext('chat.update', 'fatal_error');
    stack.slack.failNext('chat.postMessage', 'fatal_error');
    await stack.app.engine.invoices.confirm(
      inv.id,
      {
        txnType: 'Bill',
        purchaseAccountId: null,
        projectProfileId: ws.project.id,
        costCodeProfileId: ws.costCode.id,
        vendorId: inv.vendorId,
        vendorName: inv.vendorName,
        amountCents: inv.amountCents,
        currency: 'USD',
        invoiceNumber: inv.invoiceNumber,
        invoiceDate: inv.invoiceDate,
        dueDate: inv.dueDate,
        memo: null,
      },
      'UFOREMAN',
    );
    await stack.app.engine.sync.submit(inv.id, 'UFOREMAN');
    await settle(stack);
    expect((await stack.app.engine.invoices.byId(inv.id))!.status).toBe('synced');
    expect(
      stack.slack
        .rejected()
        .map((c) => c.method)
        .sort(),
    ).toEqual(['chat.postMessage', 'chat.update']);
    const dm = await waitFor(() => stack.slack.dms(T, 'UFOREMAN').find((m) => textOf(m).includes('is in QuickBooks')), 'the retried DM', 20_000);
    expect(textOf(dm)).toContain('R-558201');
    await waitFor(
      () => textOf(stack.slack.messages('CJOB1').find((m) => m.ts === card.ts)).includes('In QuickBooks as Bill'),
      'the retried card',
      20_000,
    );
  }, 60_000);
});

describe('cards after a crash', () => {
  it('an invoice read just before a crash, whose card never reached Slack, gets its card at the next start', async () => {
    await setUpWorkspace(stack);
    const name = 'us-rental-summit.pdf';
    const file = stack.slack.addFile(T, { name, mimetype: 'application/pdf', bytes: fixture(name), user: 'UFOREMAN' });
    const message = stack.slack.postUserMessage(T, { channel: 'CJOB1', user: 'UFOREMAN', files: [file] });
    await stack.app.stop();
    // The process read the file and changed its status, then died before Slack answered the card's post.
    const engine = await createEngine(stack.config, createLogger('error'));
    const { invoice } = await engine.invoices.create({
      teamId: T,
      source: 'channel',
      bytes: fixture(name),
      fileName: name,
      mimeType: 'application/pdf',
      slackFileId: file.id,
      channelId: 'CJOB1',
      messageTs: message.ts,
      uploadedBy: 'UFOREMAN',
    });
    await engine.invoices.transition(invoice.id, 'extracted', {
      actor: 'system',
      reason: 'read from the file (text)',
      patch: { vendorName: 'Summit Equipment Rentals LLC', amountCents: 836237 },
    });
    await engine.close();
    expect(threadCard(stack, 'CJOB1', message.ts)).toBeUndefined();

    stack.app = await startApp(
      stack.config,
      createLogger(stack.config.logLevel, {}, (l) => stack.logs.push(l)),
    );
    const card = await waitFor(() => threadCard(stack, 'CJOB1', message.ts), 'the card after the restart', 20_000);
    expect(textOf(card)).toContain('Summit Equipment Rentals LLC');
    // The card's ts is stored once Slack answered the post (just after the fake shows the card).
    expect(await waitFor(async () => (await stack.app.engine.invoices.byId(invoice.id))!.cardTs, 'the stored card ts', 5000)).toBe(card.ts);
  }, 60_000);
});
