import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startStack, waitFor, TEAM_A, type Stack } from '../harness.ts';
import { purgeUninstalled } from '../../src/slack/lifecycle.ts';
import { T, setUpWorkspace, share } from './intake-helpers.ts';

/** Issue 15.5: an uninstalled workspace loses its tokens at once and its data after the retention period. */

let stack: Stack;

async function install(teamId: string) {
  const start = await fetch(`${stack.app.url}/slack/install`, { redirect: 'manual' });
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0];
  const code = stack.slack.issueOAuthCode(teamId);
  const done = await fetch(`${stack.app.url}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  expect(done.status).toBeLessThan(400);
}

const db = () => stack.app.engine.conn.db;
const one = <T>(q: ReturnType<typeof sql>) => db().get<T>(q);
const dbFileText = () =>
  ['app.db', 'app.db-wal']
    .map((f) => join(stack.dir, f))
    .filter(existsSync)
    .map((f) => readFileSync(f).toString('latin1'))
    .join('');

beforeAll(async () => {
  stack = await startStack({
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: 'fake-client-id',
      SLACK_CLIENT_SECRET: 'fake-client-secret',
      SLACK_STATE_SECRET: 'fake-state-secret',
    },
  });
  await install(TEAM_A.id);
  await setUpWorkspace(stack, { autoSync: false });
  await share(stack, 'invoice2data-AzureInterior.pdf');
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('Slack uninstall', () => {
  it('a signed app_uninstalled / tokens_revoked while the bot token still works (a replay) deletes nothing', async () => {
    for (const event of [{ type: 'app_uninstalled' }, { type: 'tokens_revoked', tokens: { oauth: [], bot: [TEAM_A.botUserId] } }]) {
      const r = await stack.driver.event({ teamId: T, event });
      expect(r.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(one<{ n: number }>(sql`select count(*) as n from slack_installations`)!.n).toBe(1);
    expect(one<{ status: string }>(sql`select status from qbo_connections where team_id = ${T}`)!.status).toBe('connected');
    expect(one<{ u: number | null }>(sql`select uninstalled_at as u from workspaces where team_id = ${T}`)!.u).toBeNull();
  });

  it('tokens_revoked then app_uninstalled: installation, bot token and QBO tokens gone from the database file, queued jobs stopped, QBO revoked at Intuit', async () => {
    const sealed = one<{ enc: string }>(sql`select installation_enc as enc from slack_installations where id = ${T}`)!.enc;
    const refresh = one<{ enc: string }>(sql`select refresh_token_enc as enc from qbo_connections where team_id = ${T}`)!.enc;
    expect(dbFileText()).toContain(sealed.slice(0, 40));
    const jobId = await stack.app.engine.worker.enqueue('slack.dm', { teamId: T, user: 'UFOREMAN', text: 'later' }, { teamId: T, delayMs: 60_000 });
    const revokesBefore = stack.qbo.stats.revokes;

    const answers = await stack.driver.uninstall({ teamId: T, order: 'revoked_first' });
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await waitFor(() => one<{ n: number }>(sql`select count(*) as n from slack_installations`)!.n === 0, 'installation deleted');
    await waitFor(() => stack.qbo.stats.revokes > revokesBefore, 'QBO authorization revoked at Intuit');
    await waitFor(() => one<{ s: string }>(sql`select status as s from jobs where id = ${jobId}`)!.s === 'dead', 'queued job stopped');
    // The tokens are forgotten once Intuit answered the revoke (which the emulator counts when it arrives).
    await waitFor(
      () => one<{ s: string }>(sql`select status as s from qbo_connections where team_id = ${T}`)!.s === 'disconnected',
      'connection disconnected',
    );
    const conn = one<{ a: string | null; r: string | null; status: string }>(
      sql`select access_token_enc as a, refresh_token_enc as r, status from qbo_connections where team_id = ${T}`,
    )!;
    expect(conn).toEqual({ a: null, r: null, status: 'disconnected' });
    const file = dbFileText();
    expect(file).not.toContain(sealed.slice(0, 40));
    expect(file).not.toContain(refresh.slice(0, 40));
    await expect(stack.app.deps.clientFor(T)).rejects.toThrow(/no Slack installation/);
    // The fake refuses the revoked token from now on.
    const r = await fetch(`${stack.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEAM_A.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'CGEN', text: 'x' }),
    });
    expect(((await r.json()) as any).error).toBe('token_revoked');
    // The invoices are kept for the retention period.
    expect(await stack.app.engine.invoices.list(T)).toHaveLength(1);
  });

  it('a reinstall within the retention period finds the invoices and settings as they were', async () => {
    expect(await purgeUninstalled(stack.app.engine, 30)).toEqual([]);
    await install(TEAM_A.id);
    expect(one<{ u: number | null }>(sql`select uninstalled_at as u from workspaces where team_id = ${T}`)!.u).toBeNull();
    expect(await stack.app.engine.invoices.list(T)).toHaveLength(1);
    expect(await stack.app.deps.clientFor(T)).toBeTruthy();
  });

  it('app_uninstalled first, then nothing for DATA_RETENTION_DAYS: everything of the workspace is deleted', async () => {
    const answers = await stack.driver.uninstall({ teamId: T, order: 'uninstalled_first' });
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await waitFor(() => one<{ u: number | null }>(sql`select uninstalled_at as u from workspaces where team_id = ${T}`)?.u, 'marked uninstalled');
    expect(await purgeUninstalled(stack.app.engine, 30, Date.now() + 29 * 86_400_000)).toEqual([]);
    expect(await purgeUninstalled(stack.app.engine, 30, Date.now() + 31 * 86_400_000)).toEqual([T]);
    expect(one<{ n: number }>(sql`select count(*) as n from invoices`)!.n).toBe(0);
    expect(one<{ n: number }>(sql`select count(*) as n from qbo_list_items`)!.n).toBe(0);
    expect(one<{ n: number }>(sql`select count(*) as n from workspaces`)!.n).toBe(0);
  });
});
