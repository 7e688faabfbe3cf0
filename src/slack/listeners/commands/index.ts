import type { App, SlashCommand, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import { settingsCommand, statusText, helpCommand } from './settings.ts';
import { uploadCommand } from './invoices.ts';

export interface CommandArgs {
  command: SlashCommand;
  args: string[];
  client: WebClient;
  respond: RespondFn;
  deps: SlackDeps;
}

const SUBCOMMANDS: Record<string, (a: CommandArgs) => Promise<void>> = {
  settings: settingsCommand,
  upload: uploadCommand,
  help: helpCommand,
};

/** Subcommands whose answer is bounded work with no Slack call: it goes back as the ack's body. */
const IN_ACK: Record<string, (deps: SlackDeps, teamId: string) => Promise<string>> = {
  status: statusText,
};
const FAILED = ':warning: Something went wrong handling that command. Please try again.';

/**
 * `/qbo <subcommand>`: acknowledged at once (status is answered in the ack); unknown or empty subcommands get help.
 */
export function register(app: App, deps: SlackDeps) {
  app.command('/qbo', async ({ command, ack, client, respond }) => {
    const [sub = 'help', ...args] = String(command.text ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    const answer = IN_ACK[sub.toLowerCase()];
    if (answer) {
      const text = await answer(deps, command.team_id).catch((err) => {
        deps.log.error('command failed', { sub, error: err, teamId: command.team_id });
        return FAILED;
      });
      await ack({ response_type: 'ephemeral', text });
      return;
    }
    await ack();
    const handler = SUBCOMMANDS[sub.toLowerCase()] ?? helpCommand;
    try {
      await handler({ command, args, client, respond, deps });
    } catch (err) {
      deps.log.error('command failed', { sub, error: err, teamId: command.team_id });
      await respond({ response_type: 'ephemeral', text: FAILED }).catch((e) => deps.log.warn('command error reply failed', { error: e }));
    }
  });
}
