import type { BlockAction, Context, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import type { Invoice } from '../../../invoices/service.ts';
import { publishHome } from '../../settings-service.ts';

/** What every button callback of the invoice cards, DMs and App Home is: a typed block_actions listener. */
export type ActionHandler = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

export interface Ctx {
  teamId: string;
  userId: string;
  body: BlockAction;
  client: WebClient;
  value: string | undefined;
}

export function ctxOf(body: BlockAction, client: WebClient, context: Context): Ctx {
  return {
    teamId: body.team?.id ?? context.teamId ?? '',
    userId: body.user.id,
    body,
    client,
    value: chosenValue(body.actions[0]),
  };
}

/** A button's value, or the chosen option of a picker. */
function chosenValue(action: BlockAction['actions'][number] | undefined): string | undefined {
  if (action && 'value' in action && typeof action.value === 'string') return action.value;
  if (action && 'selected_option' in action && action.selected_option) return action.selected_option.value;
  return undefined;
}

/** A short private note to the person who clicked, wherever the button was. */
export function tell(deps: SlackDeps, c: Ctx, text: string) {
  return tellClicker(deps, c.client, c.body, text);
}

/**
 * A short private note to whoever clicked: ephemeral where the button was (in its thread), else a DM. `dmInIm`:
 * in a direct-message channel, a plain DM instead of an ephemeral note.
 */
export async function tellClicker(deps: SlackDeps, client: WebClient, body: BlockAction, text: string, o: { dmInIm?: boolean } = {}) {
  try {
    const channel = body.container?.channel_id ?? body.channel?.id;
    if (channel && !(o.dmInIm && channel.startsWith('D')))
      await client.chat.postEphemeral({
        channel,
        user: body.user.id,
        text,
        ...(body.container?.thread_ts ? { thread_ts: body.container.thread_ts } : {}),
      });
    else await client.chat.postMessage({ channel: body.user.id, text });
  } catch (err) {
    deps.log.warn('could not tell the user', { error: err });
  }
}

export async function refreshHomeIfThere(deps: SlackDeps, c: Ctx) {
  if (c.body.view?.type !== 'home') return;
  await publishHome(deps, c.client, c.teamId, c.userId).catch((err) => deps.log.warn('home refresh failed', { error: err }));
}

export async function invoiceOf(deps: SlackDeps, c: Ctx): Promise<Invoice | null> {
  const id = Number(c.value);
  return Number.isInteger(id) ? deps.engine.invoices.get(c.teamId, id) : null;
}
