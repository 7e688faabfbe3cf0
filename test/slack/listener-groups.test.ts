import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '@slack/bolt';
import { groupListenersByKind } from '../../src/slack/listener-groups.ts';

/** Listeners grouped by kind (issue 12) behave as Bolt's own list: same listeners reached, same errors, same answers. */

const SECRET = 'listener-groups-secret';
const ran: string[] = [];
const errors: unknown[] = [];
let app: App;
let url = '';

beforeAll(async () => {
  app = new App({ signingSecret: SECRET, authorize: async () => ({ botToken: 'xoxb-test', botUserId: 'UBOT' }), convoStore: false });
  app.action('a', async ({ ack }) => {
    ran.push('a1');
    await ack();
  });
  app.action({ action_id: 'a', block_id: 'blk' }, async () => {
    ran.push('a2');
  });
  app.action('b', async ({ ack }) => {
    await ack();
    throw new Error('b failed');
  });
  app.action(/^c-(\d+)$/, async ({ ack, context }) => {
    ran.push(`c:${(context.actionIdMatches as string[])[1]}`);
    await ack();
  });
  app.command('/x', async ({ ack, command }) => {
    ran.push(`command:${command.text}`);
    await ack({ response_type: 'ephemeral', text: `you said ${command.text}` });
  });
  app.options('o', async ({ ack, options }) => {
    ran.push('options');
    await ack({ options: [{ text: { type: 'plain_text', text: (options as { value: string }).value }, value: '1' }] });
  });
  app.error(async (err) => {
    errors.push(err);
  });
  expect(groupListenersByKind(app)).toBe(3); // actions, commands, options
  const server = (await app.start({ port: 0, host: '127.0.0.1' } as never)) as unknown as Server;
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await app?.stop();
});

async function post(body: string, type = 'application/x-www-form-urlencoded') {
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': type, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig },
  });
  return { status: res.status, text: await res.text() };
}
const interaction = (p: Record<string, unknown>) =>
  `payload=${encodeURIComponent(JSON.stringify({ user: { id: 'U1' }, team: { id: 'T1' }, api_app_id: 'A1', ...p }))}`;
const action = (actionId: string, blockId = 'other') =>
  interaction({ type: 'block_actions', actions: [{ action_id: actionId, block_id: blockId, type: 'button' }], trigger_id: '1.2' });
const settled = () => new Promise((r) => setTimeout(r, 50));

describe('listeners grouped by kind', () => {
  it('an action reaches every listener whose constraints match, and no other', async () => {
    ran.length = 0;
    expect((await post(action('a', 'blk'))).status).toBe(200);
    await settled();
    expect(ran.sort()).toEqual(['a1', 'a2']);
    ran.length = 0;
    await post(action('a'));
    await post(action('c-42'));
    await settled();
    expect(ran).toEqual(['a1', 'c:42']);
  });

  it("a listener's error reaches the app's error handler", async () => {
    errors.length = 0;
    await post(action('b'));
    await settled();
    expect(errors.map((e) => (e as Error).message)).toEqual(['b failed']);
  });

  it('commands and suggestions are answered by their listeners', async () => {
    ran.length = 0;
    const cmd = await post('command=%2Fx&text=hello&team_id=T1&user_id=U1&channel_id=C1&trigger_id=1.2&response_url=http%3A%2F%2F127.0.0.1%3A1%2Fr');
    expect(JSON.parse(cmd.text)).toMatchObject({ text: 'you said hello' });
    const opts = await post(interaction({ type: 'block_suggestion', action_id: 'o', block_id: 'x', value: 'Oak' }));
    expect(JSON.parse(opts.text).options[0].text.text).toBe('Oak');
    expect(ran).toEqual(['command:hello', 'options']);
  });
});
