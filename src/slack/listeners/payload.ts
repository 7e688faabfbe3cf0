import type { BlockElementAction, ViewStateValue } from '@slack/bolt';
import type { Option } from '../views/common.ts';

/**
 * Typed access to the parts of Slack payloads Bolt's types leave loose (so listeners need no `as any`): the
 * workspace a request is for, and a view's submitted state.
 */

/** An options (block_suggestion) answer: a flat list, or groups (Slack's option_groups). */
export type Suggestions = { options: Option[] } | { option_groups: { label: Option['text']; options: Option[] }[] };

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

/** A block action's `value` (buttons, and the few elements that carry one); undefined for the others. */
export function actionValue(action: BlockElementAction): string | undefined {
  return 'value' in action && typeof action.value === 'string' ? action.value : undefined;
}
