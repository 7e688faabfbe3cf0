import type { ViewStateValue } from '@slack/bolt';

/**
 * Typed access to the parts of Slack payloads Bolt's types leave loose (so listeners need no `as any`): the
 * workspace a request is for, and a view's submitted state.
 */

/** A view's submitted values: block id → action id → value. */
export type StateValues = Record<string, Record<string, ViewStateValue>>;

/** The workspace a request is for: the payload's team (`team.id`, or an event envelope's `team_id`), else Bolt's context. */
export function teamIdOf(body: unknown, context: { teamId?: string }): string | undefined {
  const b = (body ?? {}) as { team?: { id?: unknown } | null; team_id?: unknown };
  const id = b.team?.id ?? b.team_id;
  return typeof id === 'string' && id ? id : context.teamId;
}

/** A view's state values, typed. */
export function stateOf(view: { state: { values: unknown } }): StateValues {
  return (view.state.values ?? {}) as StateValues;
}

/** The values of one multi-select input (block id = action id, as the app builds its inputs). */
export function selectedValues(values: StateValues, id: string): string[] {
  return (values[id]?.[id]?.selected_options ?? []).map((o) => String(o.value));
}
