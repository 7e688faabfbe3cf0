import { elementsOf, plainTextOf, validateSuggestionResponse } from './blockkit.ts';
import { actionFromState, findByLabel, isEmpty, pickOption, stateValue } from './driver-values.ts';
import { nextTs, stateValuesOf } from './store.ts';
import type { PostedMessage, SlackView } from './types.ts';
import { closeStack, popView, pushView, SlackError, updateView } from './views.ts';
import { ACK_TIMEOUT_MS, type DriverContext } from './driver-context.ts';
import type { SlackDriver } from './driver.ts';

type Interactions = Pick<SlackDriver, 'clickButton' | 'selectOption' | 'suggest' | 'submitView' | 'closeView'>;

export function interactionMethods(ctx: DriverContext): Interactions {
  const { fake, store, postPayload, common, viewPayload, latestView, messageContext, isMessage } = ctx;
  return {
    async clickButton(p) {
      const blocks = isMessage(p.where) ? (store.getMessage(p.where.channel, p.where.ts)?.blocks ?? []) : (store.views.get(p.where.id)?.blocks ?? []);
      const buttons = [...elementsOf(blocks)].filter((x) => x.element.type === 'button');
      const hits = buttons.filter(
        (x) =>
          (p.actionId === undefined || x.element.action_id === p.actionId) &&
          (p.text === undefined || plainTextOf(x.element.text) === p.text) &&
          (p.value === undefined || x.element.value === p.value),
      );
      const list = buttons.map((x) => `'${plainTextOf(x.element.text)}' (${x.element.action_id})`).join(', ') || '(no buttons)';
      if (hits.length === 0)
        throw new Error(`clickButton: no button matches ${JSON.stringify({ actionId: p.actionId, text: p.text, value: p.value })}. Buttons: ${list}`);
      if (hits.length > 1) throw new Error(`clickButton: ${hits.length} buttons match; say which. Buttons: ${list}`);
      const { block, element } = hits[0];
      const action: Record<string, any> = {
        action_id: element.action_id,
        block_id: block.block_id,
        text: element.text,
        type: 'button',
        action_ts: nextTs(),
      };
      if (element.value !== undefined) action.value = element.value;
      if (element.style) action.style = element.style;
      if (element.url) action.url = element.url;
      let payload: Record<string, any>;
      let triggerId: string;
      if (isMessage(p.where)) {
        const { extra } = messageContext(p.teamId, p.userId, p.where);
        triggerId = fake.issueTrigger(p.teamId, p.userId);
        payload = {
          type: 'block_actions',
          ...common(p.teamId, p.userId),
          trigger_id: triggerId,
          ...extra,
          actions: [action],
        };
      } else {
        const v = latestView(p.teamId, p.userId, p.where);
        triggerId = fake.issueTrigger(p.teamId, p.userId, v.type === 'modal' ? v.id : undefined);
        payload = {
          type: 'block_actions',
          ...common(p.teamId, p.userId),
          container: { type: 'view', view_id: v.id },
          trigger_id: triggerId,
          view: viewPayload(v),
          actions: [action],
        };
      }
      const r = await postPayload(payload, 'block_actions', p.teamId);
      return { status: r.status, body: r.body, triggerId };
    },

    async selectOption(p) {
      const accept = (e: any) =>
        [
          'static_select',
          'external_select',
          'users_select',
          'conversations_select',
          'channels_select',
          'radio_buttons',
          'datepicker',
          'timepicker',
          'multi_static_select',
          'multi_external_select',
          'checkboxes',
          'multi_users_select',
          'multi_conversations_select',
          'multi_channels_select',
          'overflow',
        ].includes(e.type);
      const inMessage = isMessage(p.view);
      const v = inMessage ? undefined : latestView(p.teamId, p.userId, p.view as SlackView);
      const blocks = inMessage ? (store.getMessage((p.view as PostedMessage).channel, (p.view as PostedMessage).ts)?.blocks ?? []) : v!.blocks;
      const { block, element } = findByLabel(blocks, p.label, accept, 'selectOption');
      const given = p.text !== undefined ? { value: p.value, text: p.text } : p.value;
      let action: Record<string, any>;
      if (element.type === 'overflow') {
        action = {
          type: 'overflow',
          action_id: element.action_id,
          block_id: block.block_id,
          selected_option: pickOption(element, given, p.label),
          action_ts: nextTs(),
        };
      } else {
        const sv = stateValue(element, element.type.startsWith('multi_') || element.type === 'checkboxes' ? [given as any] : given, p.label);
        if (v) (v.state.values[block.block_id] ??= {})[element.action_id] = sv;
        action = actionFromState(block, element, sv);
      }
      const dispatches = block.type !== 'input' || block.dispatch_action === true;
      if (!dispatches) return { status: 0, body: undefined, sent: false };
      let payload: Record<string, any>;
      if (inMessage) {
        const { extra } = messageContext(p.teamId, p.userId, p.view as PostedMessage);
        payload = {
          type: 'block_actions',
          ...common(p.teamId, p.userId),
          trigger_id: fake.issueTrigger(p.teamId, p.userId),
          ...extra,
          actions: [action],
        };
      } else {
        payload = {
          type: 'block_actions',
          ...common(p.teamId, p.userId),
          container: { type: 'view', view_id: v!.id },
          trigger_id: fake.issueTrigger(p.teamId, p.userId, v!.type === 'modal' ? v!.id : undefined),
          view: viewPayload(v!),
          actions: [action],
        };
      }
      const r = await postPayload(payload, 'block_actions', p.teamId);
      return { status: r.status, body: r.body, sent: true };
    },

    async suggest(p) {
      const v = latestView(p.teamId, p.userId, p.view);
      const { block, element } = findByLabel(v.blocks, p.label, (e) => e.type === 'external_select' || e.type === 'multi_external_select', 'suggest');
      const min = element.min_query_length ?? 3;
      if (p.query.length < min) return { status: 0, options: [] };
      const payload = {
        type: 'block_suggestion',
        ...common(p.teamId, p.userId),
        container: { type: 'view', view_id: v.id },
        action_id: element.action_id,
        block_id: block.block_id,
        value: p.query,
        view: viewPayload(v),
      };
      const r = await postPayload(payload, 'block_suggestion', p.teamId);
      if (r.status !== 200) return { status: r.status, options: [], body: r.body };
      const errs = validateSuggestionResponse(r.body);
      store.record({
        method: 'block_suggestion',
        teamId: p.teamId,
        args: { action_id: element.action_id, value: p.query, response: r.body },
        ok: errs.length === 0,
        error: errs.length ? 'invalid_options' : undefined,
        at: Date.now(),
        messages: errs.length ? errs : undefined,
      });
      if (errs.length) return { status: r.status, options: [], body: r.body };
      const opts = r.body.options ?? r.body.option_groups.flatMap((g: any) => g.options);
      return {
        status: r.status,
        options: opts.map((x: any) => ({ text: plainTextOf(x.text), value: x.value })),
        body: r.body,
      };
    },

    async submitView(p) {
      const v = latestView(p.teamId, p.userId, p.view);
      if (v.type !== 'modal' || !v.submit) throw new Error(`view ${v.id} has no submit button`);
      const inputs = v.blocks.filter((b) => b.type === 'input');
      const entered: Record<string, Record<string, any>> = {};
      for (const [label, value] of Object.entries(p.values)) {
        const { block, element } = findByLabel(inputs, label, () => true, 'submitView');
        (entered[block.block_id] ??= {})[element.action_id] = stateValue(element, value, label);
      }
      for (const [b, acts] of Object.entries(entered)) for (const [a, sv] of Object.entries(acts)) (v.state.values[b] ??= {})[a] = sv;
      const values = stateValuesOf(v);
      const missing = inputs.filter((b) => !b.optional && isEmpty(values[b.block_id]?.[b.element.action_id] ?? {})).map((b) => plainTextOf(b.label));
      if (missing.length) throw new Error(`Slack would not submit: required input(s) empty: ${missing.map((m) => `'${m}'`).join(', ')}`);
      const payload = {
        type: 'view_submission',
        ...common(p.teamId, p.userId),
        trigger_id: fake.issueTrigger(p.teamId, p.userId, v.id),
        view: viewPayload(v),
        response_urls: [],
      };
      const r = await postPayload(payload, 'view_submission', p.teamId);
      let errors: Record<string, string> | undefined;
      if (r.status === 200 && r.ms <= ACK_TIMEOUT_MS) {
        const body = typeof r.body === 'object' && r.body ? r.body : {};
        const rec = (ok: boolean, error?: string, messages?: string[]) =>
          store.record({
            method: 'view_submission',
            teamId: p.teamId,
            args: { view_id: v.id, callback_id: v.callback_id, response: r.body },
            ok,
            error,
            messages,
            at: Date.now(),
          });
        try {
          switch (body.response_action) {
            case undefined:
              popView(store, v.id);
              rec(true);
              break;
            case 'errors': {
              const ids = new Set(inputs.map((b) => b.block_id));
              if (typeof body.errors !== 'object' || !body.errors || Object.keys(body.errors).length === 0)
                throw new SlackError('invalid_arguments', ['[ERROR] errors must be a non-empty object [json-pointer:/errors]']);
              const bad = Object.keys(body.errors).filter((k) => !ids.has(k));
              if (bad.length)
                throw new SlackError(
                  'invalid_arguments',
                  bad.map((k) => `[ERROR] '${k}' is not the block_id of an input block in this view [json-pointer:/errors/${k}]`),
                );
              errors = body.errors;
              rec(true);
              break;
            }
            case 'update':
              updateView(store, v, body.view);
              rec(true);
              break;
            case 'push':
              pushView(store, p.teamId, p.userId, body.view);
              rec(true);
              break;
            case 'clear':
              closeStack(store, p.teamId, p.userId);
              rec(true);
              break;
            default:
              throw new SlackError('invalid_arguments', [`[ERROR] unknown response_action '${body.response_action}'`]);
          }
        } catch (e) {
          if (!(e instanceof SlackError)) throw e;
          rec(false, e.error, e.messages);
        }
      }
      return { status: r.status, body: r.body, errors };
    },

    async closeView(p) {
      const v = latestView(p.teamId, p.userId, p.view);
      const stackIds = store.stack(p.teamId, p.userId);
      const cleared = v.clear_on_close;
      if (cleared) closeStack(store, p.teamId, p.userId);
      else popView(store, v.id);
      void stackIds;
      if (!v.notify_on_close) return null;
      const payload = { type: 'view_closed', ...common(p.teamId, p.userId), view: viewPayload(v), is_cleared: cleared };
      const r = await postPayload(payload, 'view_closed', p.teamId);
      return { status: r.status, body: r.body };
    },
  };
}
