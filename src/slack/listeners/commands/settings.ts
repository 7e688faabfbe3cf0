import type { CommandArgs } from './index.ts';

export async function settingsCommand(_a: CommandArgs): Promise<void> {}
export async function statusCommand(_a: CommandArgs): Promise<void> {}
export async function helpCommand({ respond }: CommandArgs): Promise<void> {
  await respond({ response_type: 'ephemeral', text: 'Usage: `/qbo settings` · `/qbo upload` · `/qbo status` · `/qbo help`' });
}
