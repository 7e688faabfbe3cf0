import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, fixture, settle, setUpWorkspace, textOf, threadCard, dmsTo } from './intake-helpers.ts';

/** A Slack outage while a shared file is fetched: the file is not lost; it is fetched again from the durable queue. */

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

describe('Slack outage at intake', () => {
  it('files.info failing for a while: the intake is retried and the invoice appears once Slack answers again', async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
    await setUpWorkspace(stack);
    // More failures than one call's own client retries: the events' attempts and the first queued retry all fail.
    for (let i = 0; i < 6; i++) stack.slack.failNext('files.info', 'internal_error', { status: 500 });
    const name = 'us-rental-summit.pdf';
    const file = stack.slack.addFile(T, { name, mimetype: 'application/pdf', bytes: fixture(name), user: 'UFOREMAN' });
    const shared = await stack.driver.shareFile({ teamId: T, userId: 'UFOREMAN', channelId: 'CJOB1', file });
    const card = await waitFor(() => threadCard(stack, 'CJOB1', shared.message.ts), 'the card once Slack answers again', 30_000);
    expect(textOf(card)).toContain('Summit Equipment Rentals LLC');
    await settle(stack);
    const all = await stack.app.engine.invoices.list(T);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ slackFileId: file.id, channelId: 'CJOB1', messageTs: shared.message.ts, uploadedBy: 'UFOREMAN' });
    expect(stack.slack.calls.filter((c) => c.method === 'files.info' && !c.ok).length).toBeGreaterThanOrEqual(6);
    expect(textOf({ blocks: stack.slack.messages('CJOB1').flatMap((m) => m.blocks ?? []) })).not.toContain("couldn't fetch");
  }, 60_000);

  it('Slack never answers: on the last attempt the thread is told to share it again or use /qbo upload', async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', WORKER_MAX_ATTEMPTS: '2' } });
    await setUpWorkspace(stack);
    for (let i = 0; i < 30; i++) stack.slack.failNext('files.info', 'internal_error', { status: 500 });
    const name = 'us-rental-summit.pdf';
    const file = stack.slack.addFile(T, { name, mimetype: 'application/pdf', bytes: fixture(name), user: 'UFOREMAN' });
    const shared = await stack.driver.shareFile({ teamId: T, userId: 'UFOREMAN', channelId: 'CJOB1', file });
    const note = await waitFor(
      () => stack.slack.messages('CJOB1').find((m) => m.thread_ts === shared.message.ts && (m.text ?? '').includes("couldn't fetch")),
      'the note in the thread',
      30_000,
    );
    expect(note.text).toContain(name);
    expect(note.text).toContain('/qbo upload');
    await settle(stack);
    expect(await stack.app.engine.invoices.list(T)).toHaveLength(0);
    // Exactly one note, and no DM needed since the thread was known.
    expect(stack.slack.messages('CJOB1').filter((m) => (m.text ?? '').includes("couldn't fetch"))).toHaveLength(1);
    expect(dmsTo(stack, 'UFOREMAN').filter((m) => (m.text ?? '').includes("couldn't fetch"))).toHaveLength(0);
  }, 60_000);
});
