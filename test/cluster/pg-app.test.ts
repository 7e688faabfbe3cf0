import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startApp, type RunningApp } from '../../src/server.ts';
import { createSlackDriver } from '../../emulators/slack/index.ts';
import { freePort, startStack, waitFor, type Stack } from '../harness.ts';
import { PG_SKIP_REASON, testDatabaseUrl } from '../store/postgres.ts';
import { T, fixture, openReview, settle, setUpWorkspace, share, textOf, threadCard } from '../slack/intake-helpers.ts';

/**
 * The app itself on PostgreSQL (DATABASE_URL → a fresh database on TEST_DATABASE_URL's server, migrated by the app
 * at start-up): a shared PDF becomes a card, its review books a Bill with the file attached, the same file again is
 * refused as a duplicate, and a second instance on the same database sees and serves the same invoices.
 */

const AZURE = 'invoice2data-AzureInterior.pdf';
const url = testDatabaseUrl();
const onPostgres = url ? describe : describe.skip;

let stack: Stack;
let second: RunningApp | null = null;
beforeAll(async () => {
  if (url) stack = await startStack({ database: 'postgres', env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
}, 60_000);
afterAll(async () => {
  await second?.stop();
  await stack?.stop();
});

/** Another app process's worth on the same database, Slack fake and QBO emulator: only the port differs. */
async function secondInstance(): Promise<RunningApp> {
  const port = await freePort();
  const config = loadConfig({ ...stack.env, PORT: String(port) });
  return startApp(
    config,
    createLogger('warn', {}, (l) => stack.logs.push(l)),
  );
}

const skipped = url ? '' : ` — ${PG_SKIP_REASON}`;
onPostgres(`the app on PostgreSQL${skipped}`, () => {
  it('file_shared → card → review → Bill with its PDF attached; the same file again is refused; a 2nd instance shares it all', async () => {
    const health = await (await fetch(`${stack.app.url}/healthz`)).json();
    expect(health.database).toBe('postgres');

    const ws = await setUpWorkspace(stack);
    const a = await share(stack, AZURE);
    expect(textOf(a.card)).toContain('Review');
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: await openReview(stack, a.card), values: {} });
    await settle(stack);
    const [booked] = await stack.app.engine.invoices.list(T);
    expect(booked).toMatchObject({ status: 'synced', txnType: 'Bill' });
    const bills = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bills.map((b) => String(b.Id))).toEqual([booked.qboId]);
    const attached = stack.qbo
      .entities(ws.realmId, 'Attachable')
      .filter((x) => x.AttachableRef?.some((r: any) => String(r.EntityRef?.value) === booked.qboId));
    expect(attached).toHaveLength(1);

    // The same bytes shared again: a duplicate, said in its thread, and nothing new in QuickBooks.
    const again = await share(stack, AZURE, { user: 'UPM', channel: 'CJOB2' });
    expect(textOf(again.card)).toContain(`Already in QuickBooks as Bill ${booked.qboDocNumber}`);
    const dup = (await stack.app.engine.invoices.list(T, { statuses: ['duplicate'] }))[0];
    expect(dup.duplicateOfId).toBe(booked.id);
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);

    // A second instance on the same database: the same invoices, and a file shared through it is seen by the first.
    second = await secondInstance();
    expect(await second.engine.invoices.byId(booked.id)).toMatchObject({ status: 'synced', qboId: booked.qboId });
    const driver2 = createSlackDriver({ appUrl: second.url, signingSecret: stack.signingSecret, fake: stack.slack });
    const file = stack.slack.addFile(T, {
      name: 'other.pdf',
      mimetype: 'application/pdf',
      bytes: fixture('invoice2data-QualityHosting.pdf'),
      user: 'UFOREMAN',
    });
    const shared = await driver2.shareFile({ teamId: T, userId: 'UFOREMAN', channelId: 'CJOB1', file });
    await waitFor(() => threadCard(stack, 'CJOB1', shared.message.ts), 'card from the second instance', 60_000);
    const seen = await stack.app.engine.invoices.list(T);
    expect(seen.filter((i) => i.slackFileId === file.id)).toHaveLength(1);
  }, 120_000);
});
