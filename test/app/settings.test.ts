import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccount, checkDraft, linkState, MAX_PAYERS, refreshLists, saveDraft, settingsState } from '../../src/app/settings.ts';
import { accountProblemText, draftErrorText, refreshNoticeText } from '../../src/slack/copy/settings.ts';
import { newInvoice } from '../engine/sync-helpers.ts';
import { byName, configureWorkspace, type EngineStack, startEngineStack } from '../engine/engine-harness.ts';

/** The settings use case on the real engine (QBO emulator over HTTP): problems and outcomes come back as data. */

const T = 'T1';
let stack: EngineStack;
let realm: string;
let ws: Awaited<ReturnType<typeof configureWorkspace>>;
beforeAll(async () => {
  stack = await startEngineStack();
  realm = await stack.connect(T);
  ws = await configureWorkspace(stack.engine, T);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('settings use case', () => {
  it('saved default accounts: usable ones come back as the cached account, others as a problem code', async () => {
    const { engine } = stack;
    const s = await settingsState(engine, T);
    expect(s.purchaseAccount?.id).toBe(ws.checking.id);
    expect(s.expenseAccount?.id).toBe(ws.materials.id);
    expect([s.purchaseAccountProblem, s.expenseAccountProblem]).toEqual([null, null]);
    expect(s.connection).toMatchObject({ status: 'connected', companyName: expect.any(String) });
    expect(s.lists.accounts).toBeGreaterThan(10);
    expect(s.profiles).toEqual({ total: 2, unlinked: 0, bindings: 0 });

    const oldSavings = await byName(engine, T, 'Account', 'Old Savings'); // an inactive Bank account
    expect(await checkAccount(engine, T, oldSavings.id, 'purchase')).toEqual({
      item: null,
      problem: { code: 'inactive', name: 'Old Savings' },
    });
    // An expense account is no purchase account, and a bank account no expense account.
    expect(await checkAccount(engine, T, ws.materials.id, 'purchase')).toEqual({
      item: null,
      problem: { code: 'wrong_type', name: 'Job Materials', type: 'Cost of Goods Sold' },
    });
    expect((await checkAccount(engine, T, ws.checking.id, 'expense')).problem).toEqual({
      code: 'wrong_type',
      name: 'Operating Checking',
      type: 'Bank',
    });
    expect(await checkAccount(engine, T, '999999', 'purchase')).toEqual({ item: null, problem: { code: 'missing' } });
    // A workspace whose accounts were never cached cannot tell "deleted" from "not fetched yet": no problem said.
    expect(await checkAccount(engine, 'T-NEVER', '999999', 'purchase')).toEqual({ item: null, problem: null });
    expect(await checkAccount(engine, T, null, 'purchase')).toEqual({ item: null, problem: null });
  });

  it('a draft overrides the saved settings (and its accounts are the ones checked); the saved ones stay as saved', async () => {
    const { engine } = stack;
    const oldSavings = await byName(engine, T, 'Account', 'Old Savings');
    const s = await settingsState(engine, T, {
      autoSync: false,
      defaultType: 'Expense',
      defaultPurchaseAccountId: oldSavings.id,
      defaultExpenseAccountId: null,
      payerUserIds: ['UPAY'],
    });
    expect(s.settings).toMatchObject({
      autoSync: false,
      defaultType: 'Expense',
      defaultPurchaseAccountId: oldSavings.id,
      defaultExpenseAccountId: null,
      payerUserIds: ['UPAY'],
    });
    expect(s.saved).toMatchObject({
      autoSync: true,
      defaultType: 'Bill',
      defaultPurchaseAccountId: ws.checking.id,
      defaultExpenseAccountId: ws.materials.id,
    });
    expect(s.purchaseAccount).toBeNull();
    expect(s.purchaseAccountProblem).toEqual({ code: 'inactive', name: 'Old Savings' });
    expect(s.expenseAccount).toBeNull(); // cleared in the draft: unset, not a problem
    expect(s.expenseAccountProblem).toBeNull();
    // Nothing was written: the saved settings are unchanged.
    expect((await engine.store.workspaces.getSettings(T)).defaultPurchaseAccountId).toBe(ws.checking.id);
  });

  it('the copy words each problem as the modal has always said it', () => {
    expect(accountProblemText({ code: 'inactive', name: 'Old Savings' })).toBe('Old Savings is inactive in QuickBooks');
    expect(accountProblemText({ code: 'wrong_type', name: 'Job Materials', type: 'Cost of Goods Sold' })).toBe(
      'Job Materials is a Cost of Goods Sold account',
    );
    expect(accountProblemText({ code: 'wrong_type', name: 'X', type: null })).toBe('X is a different account');
    expect(accountProblemText({ code: 'missing' })).toBe('it is no longer in QuickBooks');
    expect(accountProblemText(null)).toBeNull();
  });

  it('a refresh reports what it did as data: fresh lists are kept, a forced one refreshes, a QBO failure names the fault', async () => {
    const deps = { ...stack.engine, log: stack.engine.log };
    const fresh = await refreshLists(deps, T);
    expect(fresh).toEqual({ refreshed: false, failure: null, forced: false });
    expect(refreshNoticeText(fresh)).toBeNull();
    const forced = await refreshLists(deps, T, { force: true });
    expect(forced).toEqual({ refreshed: true, failure: null, forced: true });
    expect(refreshNoticeText(forced)).toBe(':white_check_mark: QuickBooks lists refreshed.');

    stack.emu.injectFault({ path: /\/query/, status: 400 }); // one list's query refused: the refresh fails
    const failed = await refreshLists(deps, T, { force: true });
    expect(failed.refreshed).toBe(false);
    expect(failed.failure?.fault).toMatchObject({ kind: 'validation', code: '6000', detail: 'Injected validation fault' });
    expect(refreshNoticeText(failed)).toBe(
      ':warning: Could not fetch the latest lists from QuickBooks. QuickBooks refused the transaction (QuickBooks says: Injected validation fault). The choices below may be out of date.',
    );
    expect(refreshNoticeText({ refreshed: false, forced: false, failure: { fault: null } })).toBe(
      ':warning: Could not fetch the latest lists from QuickBooks. Something went wrong. The choices below may be out of date.',
    );
    expect(await refreshLists(deps, 'T-NEVER', { force: true })).toEqual({ refreshed: false, failure: null, forced: true });
  });

  it('link state: a profile linked to an entry made inactive in QuickBooks is stale once the lists are refreshed', async () => {
    const { engine } = stack;
    await engine.store.profiles.bind(T, 'C-OAK', ws.project.id, 'UADMIN');
    const before = await linkState(engine, T);
    expect(before.connected).toBe(true);
    expect([...before.stale]).toEqual([]);
    expect(before.bindings).toEqual([{ channelId: 'C-OAK', projectName: 'Oak Street' }]);
    expect(before.profiles.map((p) => p.name).sort()).toEqual(['03-300 Concrete', 'Oak Street']);

    stack.emu.setActive(realm, 'Customer', ws.customer.id, false);
    await engine.lists.refresh(T);
    expect([...(await linkState(engine, T)).stale]).toEqual([ws.project.id]);
    stack.emu.setActive(realm, 'Customer', ws.customer.id, true);
  });

  it('a submitted draft: unusable accounts come back as codes (worded as the modal said them), nothing written', async () => {
    const { engine } = stack;
    const oldSavings = await byName(engine, T, 'Account', 'Old Savings');
    const errors = await checkDraft(engine, T, { defaultPurchaseAccountId: oldSavings.id, defaultExpenseAccountId: ws.checking.id });
    expect(errors).toEqual({
      defaultPurchaseAccountId: { code: 'account_unfit', use: 'purchase', problem: { code: 'inactive', name: 'Old Savings' } },
      defaultExpenseAccountId: { code: 'account_unfit', use: 'expense', problem: { code: 'wrong_type', name: 'Operating Checking', type: 'Bank' } },
    });
    expect(draftErrorText(errors!.defaultPurchaseAccountId!)).toBe(
      'Choose an active Bank or Credit Card account (Old Savings is inactive in QuickBooks).',
    );
    expect(draftErrorText(errors!.defaultExpenseAccountId!)).toBe('Choose an active expense account (Operating Checking is a Bank account).');
    // Accounts never cached: no reason to give, the plain request.
    const uncached = await checkDraft(engine, 'T-NEVER', { defaultPurchaseAccountId: '999999' });
    expect(draftErrorText(uncached!.defaultPurchaseAccountId!)).toBe('Choose an active Bank or Credit Card account.');
    // Usable accounts, a cleared one, untouched ones: nothing to say.
    expect(await checkDraft(engine, T, { defaultPurchaseAccountId: ws.checking.id, defaultExpenseAccountId: null, autoSync: false })).toBeNull();
    expect((await engine.store.workspaces.getSettings(T)).defaultPurchaseAccountId).toBe(ws.checking.id);
  });

  it('saving a draft: only its fields change; a new default account resumes blocked invoices, Auto-sync on queues ready ones', async () => {
    const { engine } = stack;
    const deps = { ...engine, log: engine.log };
    const actor = { teamId: T, userId: 'UADMIN' };
    await saveDraft(deps, actor, { defaultPurchaseAccountId: null, autoSync: false });
    const blocked = (await engine.sync.submit((await newInvoice(engine)).id, 'UPM')).invoice;
    expect(blocked).toMatchObject({ status: 'blocked', blockCause: 'no_purchase_account' });

    const payers = Array.from({ length: MAX_PAYERS + 5 }, (_, i) => `UPAY${i}`);
    const saved = await saveDraft(deps, actor, { defaultPurchaseAccountId: ws.checking.id, adminUserIds: ['UA', 'UB', 'UA'], payerUserIds: payers });
    expect(saved.resumed).toBe(1);
    expect(saved.queued).toBe(0);
    expect(saved.before.defaultPurchaseAccountId).toBeNull();
    expect(saved.after).toMatchObject({ defaultPurchaseAccountId: ws.checking.id, adminUserIds: ['UA', 'UB'], autoSync: false, defaultType: 'Bill' });
    expect(saved.after.payerUserIds).toEqual(payers.slice(0, MAX_PAYERS));
    expect(saved.after.defaultExpenseAccountId).toBe(ws.materials.id); // not in the draft: kept
    const resumed = await engine.invoices.byId(blocked.id);
    expect(resumed?.status).toBe('ready'); // Auto-sync is off: it waits as ready

    const on = await saveDraft(deps, actor, { autoSync: true });
    expect(on).toMatchObject({ resumed: 0, queued: 1 });
    expect((await saveDraft(deps, actor, { autoSync: true })).queued).toBe(0); // already on: nothing queued again
  });
});
