// View lifecycle shared by the Web API methods (views.*) and the driver (response_action acks, closing a modal).
import { validateView, elementsOf } from './blockkit.ts';
import { fillIds, newHash, slackId, STATEFUL, type Store } from './store.ts';
import type { SlackView } from './types.ts';

export class SlackError extends Error {
  constructor(
    public error: string,
    public messages?: string[],
    public extra: Record<string, unknown> = {},
  ) {
    super(messages?.length ? `${error}: ${messages.join('; ')}` : error);
  }
}

export function invalid(messages: string[]): SlackError {
  return new SlackError('invalid_arguments', messages);
}

function check(view: any, expect: 'modal' | 'home') {
  const errs = validateView(view, expect);
  if (errs.length) throw invalid(errs);
}

function build(store: Store, teamId: string, userId: string, input: any, base?: Partial<SlackView>): SlackView {
  const t = store.team(teamId);
  const v: SlackView = {
    id: base?.id ?? slackId('V'),
    team_id: teamId,
    type: input.type,
    blocks: fillIds(input.blocks),
    private_metadata: input.private_metadata ?? '',
    callback_id: input.callback_id ?? '',
    state: { values: {} },
    hash: newHash(),
    title: input.title ?? null,
    clear_on_close: !!input.clear_on_close,
    notify_on_close: !!input.notify_on_close,
    close: input.close ?? null,
    submit: input.submit ?? null,
    previous_view_id: base?.previous_view_id ?? null,
    root_view_id: base?.root_view_id ?? null,
    app_id: store.appId,
    external_id: input.external_id ?? '',
    app_installed_team_id: teamId,
    bot_id: t.botId,
    user: userId,
  };
  if (input.submit_disabled !== undefined) v.submit_disabled = !!input.submit_disabled;
  if (v.type === 'home') delete (v as Partial<SlackView>).title;
  if (!v.root_view_id) v.root_view_id = v.id;
  return v;
}

function checkExternalId(store: Store, teamId: string, externalId: string | undefined, selfId?: string) {
  if (!externalId) return;
  for (const v of store.views.values()) {
    if (v.team_id === teamId && v.external_id === externalId && v.id !== selfId && isOpen(store, v)) {
      throw new SlackError('duplicate_external_id');
    }
  }
}

export function isOpen(store: Store, v: SlackView): boolean {
  if (v.type === 'home') return store.homes.get(store.stackKey(v.team_id, v.user)) === v.id;
  return !!store.stackOf(v.id);
}

/** Checks and consumes a trigger_id, as views.open/views.push do. */
export function useTrigger(store: Store, teamId: string, triggerId: unknown) {
  if (triggerId === undefined || triggerId === null || triggerId === '')
    throw invalid(['[ERROR] missing required field: trigger_id [json-pointer:/trigger_id]']);
  const tr = store.triggers.get(String(triggerId));
  if (!tr || tr.teamId !== teamId) throw new SlackError('invalid_trigger_id');
  if (tr.used) throw new SlackError('exchanged_trigger_id');
  if (Date.now() - tr.created > store.triggerTtlMs) throw new SlackError('expired_trigger_id');
  tr.used = true;
  return tr;
}

export function openView(store: Store, teamId: string, userId: string, input: any): SlackView {
  check(input, 'modal');
  checkExternalId(store, teamId, input.external_id);
  const v = build(store, teamId, userId, input);
  closeStack(store, teamId, userId);
  store.stacks.set(store.stackKey(teamId, userId), [v.id]);
  store.views.set(v.id, v);
  return v;
}

export function pushView(store: Store, teamId: string, userId: string, input: any): SlackView {
  check(input, 'modal');
  const stack = store.stack(teamId, userId);
  if (stack.length === 0)
    throw new SlackError('not_found', ['[ERROR] no open modal to push onto (a views.push trigger_id must come from an interaction in a modal)']);
  if (stack.length >= 3) throw new SlackError('push_limit_reached');
  checkExternalId(store, teamId, input.external_id);
  const top = stack[stack.length - 1];
  const v = build(store, teamId, userId, input, { previous_view_id: top, root_view_id: stack[0] });
  stack.push(v.id);
  store.views.set(v.id, v);
  return v;
}

/** views.update / response_action update: same id, new hash; what the user typed survives when block_id,
 *  action_id and element type are unchanged (Slack's behaviour; initial_* changes do not override it). */
export function updateView(store: Store, existing: SlackView, input: any, hash?: string): SlackView {
  if (hash !== undefined && hash !== null && hash !== '' && hash !== existing.hash) throw new SlackError('hash_conflict');
  check(input, existing.type);
  if (!isOpen(store, existing)) throw new SlackError('not_found');
  checkExternalId(store, existing.team_id, input.external_id, existing.id);
  const v = build(store, existing.team_id, existing.user, input, existing);
  const kept: Record<string, Record<string, unknown>> = {};
  for (const { block, element } of elementsOf(v.blocks)) {
    if (!STATEFUL.has(element.type)) continue;
    const old = existing.state.values[block.block_id]?.[element.action_id];
    if (old && old.type === element.type) (kept[block.block_id] ??= {})[element.action_id] = old;
  }
  v.state = { values: kept };
  store.views.set(v.id, v);
  return v;
}

export function findView(store: Store, teamId: string, viewId?: string, externalId?: string): SlackView {
  if (viewId) {
    const v = store.views.get(viewId);
    if (!v || v.team_id !== teamId) throw new SlackError('not_found');
    return v;
  }
  if (externalId) {
    const all = [...store.views.values()].filter((v) => v.team_id === teamId && v.external_id === externalId);
    const v = all.find((x) => isOpen(store, x)) ?? all[all.length - 1];
    if (!v) throw new SlackError('not_found');
    return v;
  }
  throw invalid(['[ERROR] must provide either view_id or external_id [json-pointer:/view_id]']);
}

export function publishHome(store: Store, teamId: string, userId: string, input: any, hash?: string): SlackView {
  check(input, 'home');
  const key = store.stackKey(teamId, userId);
  const prevId = store.homes.get(key);
  const prev = prevId ? store.views.get(prevId) : undefined;
  if (prev && hash !== undefined && hash !== null && hash !== '' && hash !== prev.hash) throw new SlackError('hash_conflict');
  const v = prev ? build(store, teamId, userId, input, prev) : build(store, teamId, userId, input);
  if (prev) {
    const kept: Record<string, Record<string, unknown>> = {};
    for (const { block, element } of elementsOf(v.blocks)) {
      const old = prev.state.values[block.block_id]?.[element.action_id];
      if (old && old.type === element.type) (kept[block.block_id] ??= {})[element.action_id] = old;
    }
    v.state = { values: kept };
  }
  store.homes.set(key, v.id);
  store.views.set(v.id, v);
  return v;
}

/** Removes the top view of the stack (a submission without response_action, or the user pressing Close). */
export function popView(store: Store, viewId: string) {
  const s = store.stackOf(viewId);
  if (!s) return;
  const i = s.indexOf(viewId);
  s.splice(i, s.length - i);
}

export function closeStack(store: Store, teamId: string, userId: string) {
  store.stacks.set(store.stackKey(teamId, userId), []);
}
