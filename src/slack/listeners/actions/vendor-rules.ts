import type { App, BlockAction, Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import type { VendorRule } from '../../../store/vendor-rules.ts';
import { PURCHASE_ACCOUNT_TYPES } from '../../../qbo/lists.ts';
import { accountLabel } from '../../views/common.ts';
import { adminActor } from '../settings-guard.ts';
import { stateOf } from '../payload.ts';
import { type RuleRow, VR, VR_FORM_CALLBACK, vendorRuleForm, vendorRulesList } from '../../views/vendor-rules.ts';

/** `/qbo settings` → *Vendor rules*: list, add/edit (pins the rule), delete. Admins only, checked on every click. */

async function rowOf(deps: SlackDeps, teamId: string, rule: VendorRule): Promise<RuleRow> {
  const a = rule.purchaseAccountId ? await deps.engine.lists.get(teamId, 'Account', rule.purchaseAccountId) : null;
  const c = rule.costCodeProfileId != null ? await deps.engine.store.profiles.get(teamId, rule.costCodeProfileId) : null;
  return { rule, accountLabel: a ? accountLabel(a) : null, costCodeLabel: c?.name ?? null };
}

async function listView(deps: SlackDeps, teamId: string, notice?: string) {
  const rules = await deps.engine.vendorRules.list(teamId);
  return vendorRulesList(await Promise.all(rules.map((r) => rowOf(deps, teamId, r))), notice);
}

export function register(app: App, deps: SlackDeps) {
  const { engine } = deps;

  app.action(VR.open, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, VR.open);
    if (!a) return;
    await client.views.push({ trigger_id: (body as BlockAction).trigger_id, view: await listView(deps, a.teamId) });
  });

  app.action(VR.add, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, VR.add);
    if (!a) return;
    const b = body as BlockAction;
    await client.views.push({
      trigger_id: b.trigger_id,
      view: vendorRuleForm({
        listViewId: b.view?.id ?? '',
        vendor: null,
        txnType: null,
        account: null,
        costCode: null,
        memo: null,
        autoBook: false,
      }),
    });
  });

  app.action(VR.menu, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, VR.menu);
    if (!a) return;
    const b = body as BlockAction;
    const acted = b.actions[0];
    const [what, vendorId] = String((acted && 'selected_option' in acted ? acted.selected_option?.value : null) ?? '').split(/:(.*)/s);
    const rule = vendorId ? await engine.vendorRules.get(a.teamId, vendorId) : null;
    if (!rule || !b.view) return;
    if (what === 'delete') {
      await engine.vendorRules.remove(a.teamId, vendorId);
      await client.views.update({
        view_id: b.view.id,
        view: await listView(deps, a.teamId, `Deleted the rule for *${rule.vendorName}*: the next booked invoice teaches a new one.`),
      });
      return;
    }
    const row = await rowOf(deps, a.teamId, rule);
    await client.views.push({
      trigger_id: b.trigger_id,
      view: vendorRuleForm({
        listViewId: b.view.id,
        vendor: { id: rule.vendorId, label: rule.vendorName },
        txnType: rule.txnType,
        account: rule.purchaseAccountId && row.accountLabel ? { id: rule.purchaseAccountId, label: row.accountLabel } : null,
        costCode: rule.costCodeProfileId != null && row.costCodeLabel ? { id: String(rule.costCodeProfileId), label: row.costCodeLabel } : null,
        memo: rule.memoPattern,
        autoBook: rule.autoBook,
      }),
    });
  });

  app.view(VR_FORM_CALLBACK, submitRule(deps));
}

/** The add/edit form's submit: checked against QuickBooks and the cost codes, then the rule is pinned. */
function submitRule(deps: SlackDeps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  const { engine, log } = deps;
  return async ({ ack, body, view, client, context }) => {
    const a = await adminActor(deps, client, body, context, VR_FORM_CALLBACK);
    if (!a)
      return void (await ack({
        response_action: 'errors',
        errors: { [VR.vendor]: 'Only QuickBooks admins can change vendor rules.' },
      }));
    const v = stateOf(view);
    const sel = (id: string) => v[id]?.[id]?.selected_option ?? null;
    const vendorOpt = sel(VR.vendor);
    const errors: Record<string, string> = {};
    const vendor =
      vendorOpt && !String(vendorOpt.value).startsWith('new:') ? await engine.lists.get(a.teamId, 'Vendor', String(vendorOpt.value)) : null;
    if (!vendor?.active) errors[VR.vendor] = 'Choose an active QuickBooks vendor.';
    const accountId = sel(VR.account)?.value ?? null;
    const account = accountId ? await engine.lists.get(a.teamId, 'Account', accountId) : null;
    if (accountId && (!account?.active || !(PURCHASE_ACCOUNT_TYPES as readonly string[]).includes(account.type ?? '')))
      errors[VR.account] = 'Choose an active Bank or Credit Card account.';
    const costCodeId = sel(VR.costCode)?.value ?? null;
    const costCode = costCodeId && /^\d+$/.test(costCodeId) ? await engine.store.profiles.get(a.teamId, Number(costCodeId)) : null;
    if (costCodeId && costCode?.kind !== 'cost_code') errors[VR.costCode] = 'This cost code was deleted. Choose another.';
    if (Object.keys(errors).length) return void (await ack({ response_action: 'errors', errors }));
    const type = sel(VR.type)?.value;
    const memoText = v[VR.memo]?.[VR.memo]?.value;
    const memo = typeof memoText === 'string' ? memoText.trim() || null : null;
    const autoBook = (v[VR.autoBook]?.[VR.autoBook]?.selected_options ?? []).length > 0;
    await ack();
    const rule = await engine.vendorRules.pin(
      a.teamId,
      { id: vendor!.id, name: vendor!.name },
      {
        txnType: type === 'Bill' || type === 'Expense' ? type : null,
        purchaseAccountId: accountId,
        costCodeProfileId: costCode?.id ?? null,
        memoPattern: memo,
        autoBook,
      },
      a.userId,
    );
    let listId = '';
    try {
      listId = String(JSON.parse(view.private_metadata || '{}').l ?? '');
    } catch {
      listId = '';
    }
    if (listId) {
      await client.views
        .update({ view_id: listId, view: await listView(deps, a.teamId, `Pinned the rule for *${rule.vendorName}*.`) })
        .catch((err) => log.warn('vendor rules list not updated', { error: err }));
    }
  };
}
