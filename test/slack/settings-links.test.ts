import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, TEAM_A, type Stack } from '../harness.ts';
import { button, connectQbo, openSettings, rejectedCalls, textOf, topModal, waitForUpdates } from './settings-helpers.ts';
import { statusText } from '../../src/slack/copy/reasons.ts';

/** Link projects & cost codes, Import from QuickBooks, Channel = job, and what a fix does to waiting invoices. */

let stack: Stack;
const T = TEAM_A.id;
const A = 'UADMIN';
const updates = () => stack.slack.calls.filter((c) => c.teamId === T && c.method === 'views.update' && c.ok).length;

beforeAll(async () => {
  stack = await startStack();
  await connectQbo(stack, T, A);
  await stack.driver.closeView({ teamId: T, userId: A, view: topModal(stack, T, A)! });
});
afterAll(async () => {
  await stack?.stop();
});

/** Opens settings and pushes the link modal. */
async function openLinks() {
  const settings = await openSettings(stack, T, A);
  await stack.driver.clickButton({ teamId: T, userId: A, where: settings, actionId: 'settings_open_links' });
  const v = await waitFor(() => (topModal(stack, T, A)?.callback_id === 'link_modal' ? topModal(stack, T, A) : undefined), 'link modal pushed');
  return v;
}
const current = () => stack.slack.view(topModal(stack, T, A)!.id)!;

describe('Link projects & cost codes', () => {
  let invoiceId: number;
  const realm = () => stack.qbo.defaultRealmId;

  it('add a project; an invoice using it is blocked until it is linked', async () => {
    const links = await openLinks();
    expect(textOf(links)).toContain('No projects or cost codes yet');
    await stack.driver.clickButton({ teamId: T, userId: A, where: links, actionId: 'link_add_profile' });
    const add = await waitFor(() => (topModal(stack, T, A)?.callback_id === 'link_add_modal' ? topModal(stack, T, A) : undefined));
    const before = updates();
    await stack.driver.submitView({ teamId: T, userId: A, view: add, values: { Kind: 'project', Name: 'Oak Street' } });
    await waitForUpdates(stack, T, before);
    expect(textOf(current())).toMatch(/\*Oak Street\*\s+→\s+:warning: _not linked_/);

    // An invoice for Oak Street (set up as the intake feature would) waits, blocked, with the reason.
    const oak = (await stack.app.engine.store.profiles.findByName(T, 'project', 'Oak Street'))!;
    const accounts = stack.qbo.entities(realm(), 'Account');
    await stack.app.engine.store.workspaces.updateSettings(
      T,
      {
        defaultPurchaseAccountId: String(accounts.find((a) => a.Name === 'Visa Business')!.Id),
        defaultExpenseAccountId: String(accounts.find((a) => a.Name === 'Job Materials')!.Id),
      },
      A,
    );
    const vendor = stack.qbo.entities(realm(), 'Vendor').find((v) => v.Active !== false)!;
    const { invoice } = await stack.app.engine.invoices.create({
      teamId: T,
      source: 'upload',
      bytes: Buffer.from('%PDF-1.4 test'),
      fileName: 'inv.pdf',
      mimeType: 'application/pdf',
      uploadedBy: 'UFOREMAN',
    });
    await stack.app.engine.invoices.confirm(
      invoice.id,
      {
        txnType: 'Expense',
        purchaseAccountId: null,
        projectProfileId: oak.id,
        costCodeProfileId: null,
        vendorId: String(vendor.Id),
        vendorName: vendor.DisplayName,
        amountCents: 12345,
        currency: 'USD',
        invoiceNumber: 'SET-1001',
        invoiceDate: '2024-05-01',
        dueDate: null,
        memo: null,
      },
      'UFOREMAN',
    );
    const blocked = (await stack.app.engine.sync.submit(invoice.id, 'UFOREMAN')).invoice;
    expect(blocked.status).toBe('blocked');
    expect(statusText(blocked)).toContain('"Oak Street" is not linked');
    invoiceId = invoice.id;
  });

  it('the row picker searches QBO customers (more than 100) and linking resumes the blocked invoice', async () => {
    const v = current();
    const oak = (await stack.app.engine.store.profiles.findByName(T, 'project', 'Oak Street'))!;
    const row = `link_row:${oak.id}`;
    const all = await stack.driver.suggest({ teamId: T, userId: A, view: v, label: row, query: '' });
    expect(all.options.length).toBeGreaterThan(0);
    expect(all.options.length).toBeLessThanOrEqual(100);
    const found = await stack.driver.suggest({ teamId: T, userId: A, view: v, label: row, query: 'oakmont' });
    const target = found.options.find((o) => o.text === 'Oakmont Properties LLC')!;
    expect(target).toBeTruthy();
    const before = updates();
    await stack.driver.selectOption({ teamId: T, userId: A, view: v, label: row, value: target.value, text: target.text });
    await waitForUpdates(stack, T, before);
    expect(textOf(current())).toMatch(/\*Oak Street\*\s+→\s+Oakmont Properties LLC/);
    expect(await stack.app.engine.store.profiles.findByName(T, 'project', 'Oak Street')).toMatchObject({
      qboEntity: 'Customer',
      qboName: 'Oakmont Properties LLC',
    });
    // Auto-sync is off: the invoice is no longer blocked, it waits as ready.
    expect((await stack.app.engine.invoices.byId(invoiceId))!.status).toBe('ready');
  });

  it('unlinking is offered on a linked row and shown', async () => {
    const oak = (await stack.app.engine.store.profiles.findByName(T, 'project', 'Oak Street'))!;
    const row = `link_row:${oak.id}`;
    const opts = await stack.driver.suggest({ teamId: T, userId: A, view: current(), label: row, query: '' });
    expect(opts.options[0]).toEqual({ text: 'Not linked (unlink)', value: 'unlink' });
    let before = updates();
    await stack.driver.selectOption({ teamId: T, userId: A, view: current(), label: row, value: 'unlink', text: 'Not linked (unlink)' });
    await waitForUpdates(stack, T, before);
    expect(textOf(current())).toMatch(/\*Oak Street\*\s+→\s+:warning: _not linked_/);
    expect(textOf(current())).toContain('Unlinked the project *Oak Street*');
    expect((await stack.app.engine.store.profiles.findByName(T, 'project', 'Oak Street'))!.qboId).toBeNull();
    // Link it again for what follows.
    const again = (await stack.driver.suggest({ teamId: T, userId: A, view: current(), label: row, query: 'oakmont' })).options[0];
    before = updates();
    await stack.driver.selectOption({ teamId: T, userId: A, view: current(), label: row, value: again.value, text: again.text });
    await waitForUpdates(stack, T, before);
    expect((await stack.app.engine.store.profiles.findByName(T, 'project', 'Oak Street'))!.qboId).not.toBeNull();
  });

  it('Import from QuickBooks creates and links chosen projects and cost codes in one step', async () => {
    await stack.driver.clickButton({ teamId: T, userId: A, where: current(), actionId: 'link_import' });
    const imp = await waitFor(() => (topModal(stack, T, A)?.callback_id === 'link_import_modal' ? topModal(stack, T, A) : undefined));
    const customers = (await stack.driver.suggest({ teamId: T, userId: A, view: imp, label: 'Projects', query: 'harbor' })).options;
    const items = (await stack.driver.suggest({ teamId: T, userId: A, view: imp, label: 'Cost codes', query: '' })).options.slice(0, 2);
    expect(customers.length).toBeGreaterThan(0);
    expect(items).toHaveLength(2);
    const before = updates();
    await stack.driver.submitView({
      teamId: T,
      userId: A,
      view: imp,
      values: { Projects: customers.map((o) => o.value), 'Cost codes': items.map((o) => o.value) },
    });
    await waitForUpdates(stack, T, before);
    for (const c of customers)
      expect(await stack.app.engine.store.profiles.findByName(T, 'project', c.text)).toMatchObject({ qboEntity: 'Customer', qboId: c.value });
    for (const i of items)
      expect(await stack.app.engine.store.profiles.findByName(T, 'cost_code', i.text)).toMatchObject({ qboEntity: 'Item', qboId: i.value });
    expect(textOf(current())).toContain(`Imported and linked ${customers.length} project`);
    // A cost code's picker offers QBO items and expense accounts, in two groups.
    const cc = (await stack.app.engine.store.profiles.findByName(T, 'cost_code', items[0].text))!;
    const picks = await stack.driver.suggest({ teamId: T, userId: A, view: current(), label: `link_row:${cc.id}`, query: '' });
    expect(picks.body.option_groups.map((g: any) => g.label.text)).toEqual(['Link', 'Items', 'Expense accounts']);
    expect(picks.options[0].value).toBe('unlink');
    expect(picks.options.some((o) => o.value.startsWith('A:'))).toBe(true);
    expect(rejectedCalls(stack)).toEqual([]);
  });

  it('importing every customer pages the list instead of passing 100 blocks', async () => {
    await stack.driver.clickButton({ teamId: T, userId: A, where: current(), actionId: 'link_import' });
    const imp = await waitFor(() => (topModal(stack, T, A)?.callback_id === 'link_import_modal' ? topModal(stack, T, A) : undefined));
    const before = updates();
    await stack.driver.submitView({ teamId: T, userId: A, view: imp, values: { 'Import all': ['customers'] } });
    await waitForUpdates(stack, T, before);
    const activeCustomers = stack.qbo.entities(realm(), 'Customer').filter((c) => c.Active !== false).length;
    expect(activeCustomers).toBeGreaterThan(100);
    expect((await stack.app.engine.store.profiles.list(T, 'project')).length).toBeGreaterThanOrEqual(activeCustomers);
    const page1 = current();
    expect(page1.blocks.length).toBeLessThanOrEqual(100);
    expect(textOf(page1)).toMatch(/Page 1 of \d+/);
    const b = updates();
    await stack.driver.clickButton({ teamId: T, userId: A, where: page1, actionId: 'link_page_next' });
    await waitForUpdates(stack, T, b);
    expect(textOf(current())).toMatch(/Page 2 of \d+/);
    expect(button(current(), 'link_page_prev')).toBeTruthy();
    expect(rejectedCalls(stack)).toEqual([]);
  });

  it('Channel = job: bind a channel to a project, shown in the list, and unbind it', async () => {
    const oak = (await stack.app.engine.store.profiles.findByName(T, 'project', 'Oak Street'))!;
    await stack.driver.clickButton({ teamId: T, userId: A, where: current(), actionId: 'link_bind_channel' });
    const bind = await waitFor(() => (topModal(stack, T, A)?.callback_id === 'link_bind_modal' ? topModal(stack, T, A) : undefined));
    const projects = (await stack.driver.suggest({ teamId: T, userId: A, view: bind, label: 'Project', query: 'oak st' })).options;
    expect(projects).toEqual([{ text: 'Oak Street', value: String(oak.id) }]);
    let before = updates();
    await stack.driver.submitView({
      teamId: T,
      userId: A,
      view: bind,
      values: { Channel: 'CJOB1', Project: { value: String(oak.id), text: 'Oak Street' } },
    });
    await waitForUpdates(stack, T, before);
    expect((await stack.app.engine.store.profiles.channelProject(T, 'CJOB1'))?.name).toBe('Oak Street');
    expect(textOf(current())).toContain('<#CJOB1>  →  *Oak Street*');
    before = updates();
    await stack.driver.clickButton({ teamId: T, userId: A, where: current(), actionId: 'link_unbind', value: 'CJOB1' });
    await waitForUpdates(stack, T, before);
    expect(await stack.app.engine.store.profiles.channelProject(T, 'CJOB1')).toBeNull();
    // Bind again: it stays for the intake feature to use.
    await stack.driver.clickButton({ teamId: T, userId: A, where: current(), actionId: 'link_bind_channel' });
    const bind2 = await waitFor(() => (topModal(stack, T, A)?.callback_id === 'link_bind_modal' ? topModal(stack, T, A) : undefined));
    before = updates();
    await stack.driver.submitView({
      teamId: T,
      userId: A,
      view: bind2,
      values: { Channel: 'CJOB1', Project: { value: String(oak.id), text: 'Oak Street' } },
    });
    await waitForUpdates(stack, T, before);
    expect((await stack.app.engine.store.profiles.channelProject(T, 'CJOB1'))?.id).toBe(oak.id);
    expect(rejectedCalls(stack)).toEqual([]);
  });

  it('turning Auto-sync on sends the invoice that waited as ready; QBO then holds it', async () => {
    await stack.driver.closeView({ teamId: T, userId: A, view: topModal(stack, T, A)! }); // link modal
    const settings = stack.slack.view(topModal(stack, T, A)!.id)!;
    expect(settings.callback_id).toBe('settings_modal');
    await stack.driver.submitView({ teamId: T, userId: A, view: settings, values: { 'Auto-sync': 'on' } });
    const inv = await waitFor(async () => {
      const i = (await stack.app.engine.invoices.byId(invoiceId))!;
      return i.status === 'synced' ? i : undefined;
    }, 'invoice synced').catch(async (e) => {
      const i = (await stack.app.engine.invoices.byId(invoiceId))!;
      throw new Error(`${e.message}: ${i.status} ${statusText(i)}`);
    });
    const purchase = stack.qbo.entities(realm(), 'Purchase').find((p) => String(p.Id) === inv.qboId)!;
    expect(purchase.TotalAmt).toBe(123.45);
    const oakmont = stack.qbo.entities(realm(), 'Customer').find((c) => c.DisplayName === 'Oakmont Properties LLC')!;
    expect(JSON.stringify(purchase.Line)).toContain(`"CustomerRef":{"value":"${oakmont.Id}"`);
    expect(rejectedCalls(stack)).toEqual([]);
  });
});
