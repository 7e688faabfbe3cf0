import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { startApp, type RunningApp } from '../../src/server.ts';
import { dm, notificationsIdle, refreshCard } from '../../src/slack/notify.ts';
import { freePort, startStack, TEAM_A, waitFor, type Stack } from '../harness.ts';
import { fixture } from './intake-helpers.ts';

/** The notification outbox in one process: Slack's Retry-After is waited out, a DM goes once per key, a card is posted once. */

const T = TEAM_A.id;
const bot = TEAM_A.botUserId;
let stack: Stack;
let second: RunningApp | null = null;
beforeEach(async () => {
  stack = await startStack();
});
afterEach(async () => {
  await second?.stop();
  second = null;
  await stack?.stop();
});

const dmsTo = (user: string) => stack.slack.dms(T, user).filter((m) => m.author === bot);

describe('the outbox', () => {
  it('waits out a 429 with Retry-After, through the client and its own retry, and sends the DM once', async () => {
    // Three refusals: the Slack client's own two retries each wait the second Slack asks for, then the outbox tries again.
    for (let i = 0; i < 3; i++) stack.slack.failNext('chat.postMessage', 'ratelimited', { status: 429, retryAfter: 1 });
    await dm(stack.app.deps, T, ['UFOREMAN'], { text: 'Your invoice is booked.', blocks: [] }, 'test:booked');
    await waitFor(() => dmsTo('UFOREMAN').length > 0, 'the DM after the rate limit', 20_000);
    await notificationsIdle();

    const posts = stack.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'UFOREMAN');
    expect(posts.map((c) => c.ok)).toEqual([false, false, false, true]);
    for (let i = 1; i < posts.length; i++) expect(posts[i].at - posts[i - 1].at).toBeGreaterThanOrEqual(950); // Retry-After: 1 s
    expect(dmsTo('UFOREMAN').map((m) => m.text)).toEqual(['Your invoice is booked.']);
  }, 30_000);

  it('sends a DM once per key, however often it is queued', async () => {
    const msg = { text: 'The QuickBooks connection needs you.', blocks: [] };
    await Promise.all([1, 2, 3].map(() => dm(stack.app.deps, T, ['UADMIN', 'UOWNER'], msg, 'test:once')));
    await notificationsIdle();
    await dm(stack.app.deps, T, ['UADMIN'], msg, 'test:once');
    await notificationsIdle();
    expect(dmsTo('UADMIN')).toHaveLength(1);
    expect(dmsTo('UOWNER')).toHaveLength(1);
    await dm(stack.app.deps, T, ['UADMIN'], msg, 'test:again'); // another key: another message
    await waitFor(() => dmsTo('UADMIN').length === 2, 'the second DM');
  });

  it('two app instances on one database post one card per invoice, showing its last state', async () => {
    second = await startApp(
      { ...stack.config, port: await freePort() },
      createLogger('error', {}, () => {}),
    );
    const message = stack.slack.postUserMessage(T, { channel: 'CJOB1', user: 'UFOREMAN', text: 'invoice' });
    const { invoice } = await stack.app.engine.invoices.create({
      teamId: T,
      source: 'channel',
      bytes: fixture('us-rental-summit.pdf'),
      fileName: 'summit.pdf',
      mimeType: 'application/pdf',
      channelId: 'CJOB1',
      messageTs: message.ts,
      uploadedBy: 'UFOREMAN',
    });
    // Both instances show progress at once (the check-then-post race of a card without an outbox), then the read ends.
    await Promise.all([
      ...[1, 2, 3].map((page) => refreshCard(stack.app.deps, invoice.id, { reading: { kind: 'scan', page, pages: 3 } })),
      ...[1, 2, 3].map((page) => refreshCard(second!.deps, invoice.id, { reading: { kind: 'scan', page, pages: 3 } })),
    ]);
    stack.app.engine.invoices.transition(invoice.id, 'needs_input', {
      actor: 'system',
      reason: 'I couldn’t find the total: enter the amount.',
    });
    await waitFor(
      () => stack.slack.messages('CJOB1').some((m) => m.thread_ts === message.ts && /find the total/.test(JSON.stringify(m.blocks))),
      'the card with the result',
      20_000,
    );
    await notificationsIdle();
    const cards = stack.slack.messages('CJOB1').filter((m) => m.thread_ts === message.ts && m.author === bot);
    expect(cards).toHaveLength(1);
    expect(cards[0].blocks?.some((b: any) => b.block_id === 'invoice_reading')).toBe(false);
    expect((await stack.app.engine.invoices.byId(invoice.id))?.cardTs).toBe(cards[0].ts);
  }, 30_000);
});
