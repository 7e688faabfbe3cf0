import { setImmediate as nextTurn } from 'node:timers/promises';
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { FileShare } from '../../../app/intake.ts';
import type { SlackDeps } from '../../deps.ts';
import { fileIntake, slackIntakePort } from '../../intake.ts';
import { teamIdOf } from '../payload.ts';

/**
 * Intake from channels: `file_shared` and `message` (subtype `file_share`) both announce one upload, and Slack
 * retries deliveries. Bolt acks events before listeners run; each delivery is parsed here and handed to the intake
 * use case (src/app/intake.ts: the durable job, the fetch, the read, the card), which makes them one invoice.
 */

export function register(app: App, deps: SlackDeps) {
  const intake = fileIntake(deps); // also registers the intake job's handler, for retries and jobs taken over
  const deliver = async (client: WebClient, botToken: string | undefined, share: FileShare) => {
    // Bolt has acked the event already; requests that arrived meanwhile get a turn before this delivery's work starts.
    await nextTurn();
    await intake.deliver(slackIntakePort(deps, client, { botToken }), share);
  };

  app.event('file_shared', async ({ event, body, client, context }) => {
    if (!event.file_id || !event.channel_id) return;
    if (context.botUserId && event.user_id === context.botUserId) return;
    await deliver(client, context.botToken, {
      teamId: teamIdOf(body, context)!,
      fileId: event.file_id,
      source: 'channel',
      channelId: event.channel_id,
      userId: event.user_id,
    });
  });

  app.event('message', async ({ event, body, client, context }) => {
    if (event.subtype !== 'file_share' || !Array.isArray(event.files) || !event.channel) return;
    // A bot's share (the file_share subtype's type has no bot_id, but Slack sends one for bots).
    if ((event as { bot_id?: string }).bot_id || (context.botUserId && event.user === context.botUserId)) return;
    const e = event;
    // Several photos in one message are read side by side (the reader's pool bounds how many at once).
    const files = e.files!.filter((f) => f?.id);
    await Promise.all(
      files.map((f) =>
        deliver(client, context.botToken, {
          teamId: teamIdOf(body, context)!,
          fileId: f.id,
          source: 'channel',
          channelId: e.channel,
          userId: e.user,
          messageTs: e.thread_ts ?? e.ts,
          fileName: typeof f.name === 'string' ? f.name : null,
        }),
      ),
    );
  });
}
