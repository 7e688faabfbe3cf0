import { z } from 'zod';

/**
 * The envelope shapes Slack sends, as far as Bolt reads them before any listener (and before it acks): Bolt throws
 * on, say, an `event` that is a string, an interaction without `user`, or an `is_enterprise_install` that is not a
 * boolean, and answers 500. Real Slack never sends these; a signed request that does gets 400 instead. Only what
 * Bolt's routing touches is checked; listeners check their own fields.
 */

const id = z.looseObject({ id: z.string() });
const nullableId = z.union([z.null(), id]);
const common = {
  token: z.string().optional(),
  api_app_id: z.string().optional(),
  is_enterprise_install: z.boolean().optional(),
  enterprise: nullableId.optional(),
  team: nullableId.optional(),
};

const INTERACTIONS = [
  'block_actions',
  'view_submission',
  'view_closed',
  'block_suggestion',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
  'dialog_suggestion',
  'dialog_cancellation',
];

const interaction = z.looseObject({
  type: z.string(),
  user: z.looseObject({ id: z.string(), team_id: z.string().optional() }),
  ...common,
  // Bolt routes an action on actions[0]: an empty list throws.
  actions: z
    .array(z.looseObject({ action_id: z.string().optional(), block_id: z.string().optional(), type: z.string().optional() }))
    .min(1)
    .optional(),
  view: z.looseObject({ id: z.string().optional(), callback_id: z.string().optional(), type: z.string().optional() }).optional(),
  channel: id.optional(), // Bolt reads channel.id whenever channel is present
  container: z.looseObject({}).nullable().optional(),
  message: z.looseObject({}).nullable().optional(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  // Bolt's respond() reads response_urls[0].response_url.
  response_urls: z.array(z.looseObject({ response_url: z.string() })).optional(),
  action_id: z.string().optional(),
  block_id: z.string().optional(),
  callback_id: z.string().optional(),
  value: z.string().optional(),
});

/** view_submission / view_closed: Bolt routes on view.callback_id. */
const viewAction = interaction.extend({ view: z.looseObject({ id: z.string().optional(), callback_id: z.string(), type: z.string().optional() }) });

const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  team_id: z.string().optional(),
  enterprise_id: z.string().nullable().optional(),
  api_app_id: z.string().optional(),
  event_id: z.string().optional(),
  is_ext_shared_channel: z.boolean().optional(),
  event: z.looseObject({ type: z.string(), subtype: z.string().optional(), channel: z.unknown().optional(), user: z.unknown().optional() }),
  authorizations: z
    .array(
      z.looseObject({
        team_id: z.string().nullable().optional(),
        enterprise_id: z.string().nullable().optional(),
        user_id: z.string().optional(),
        is_bot: z.boolean().optional(),
        is_enterprise_install: z.boolean().optional(),
      }),
    )
    .optional(),
});

const command = z.looseObject({
  command: z.string(),
  team_id: z.string(),
  user_id: z.string(),
  text: z.string().optional(),
  channel_id: z.string().optional(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  enterprise_id: z.string().optional(),
  is_enterprise_install: z.string().optional(),
});

/** Why Bolt could not take this parsed body, or null when it can. Mirrors Bolt's own routing (getTypeAndConversation). */
export function envelopeProblem(body: Record<string, unknown>): string | null {
  let schema: z.ZodType | null = null;
  if (body.event !== undefined) schema = eventCallback;
  else if (body.command !== undefined) schema = command;
  else if (body.type === 'view_submission' || body.type === 'view_closed') schema = viewAction;
  else if (body.name !== undefined || body.actions !== undefined || (typeof body.type === 'string' && INTERACTIONS.includes(body.type)))
    schema = interaction;
  if (!schema) return null;
  const r = schema.safeParse(body);
  return r.success
    ? null
    : r.error.issues
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .slice(0, 3)
        .join('; ');
}
