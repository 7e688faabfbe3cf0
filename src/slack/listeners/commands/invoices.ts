import type { CommandArgs } from './index.ts';

export async function uploadCommand(_a: CommandArgs): Promise<void> {}
