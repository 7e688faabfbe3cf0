import type { App, SlashCommand, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import { settingsCommand, statusCommand, helpCommand } from './settings.ts';
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
  status: statusCommand,
  help: helpCommand,
};

/** `/qbo <subcommand>`: acknowledged at once; unknown or empty subcommands get help. */
export function register(app: App, deps: SlackDeps) {
  app.command('/qbo', async ({ command, ack, client, respond }) => {
    await ack();
    const [sub = 'help', ...args] = String(command.text ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    const handler = SUBCOMMANDS[sub.toLowerCase()] ?? helpCommand;
    try {
      await handler({ command, args, client, respond, deps });
    } catch (err) {
      deps.log.error('command failed', { sub, error: err, teamId: command.team_id });
      await respond({ response_type: 'ephemeral', text: ':warning: Something went wrong handling that command. Please try again.' }).catch((e) =>
        deps.log.warn('command error reply failed', { error: e }),
      );
    }
  });
}
