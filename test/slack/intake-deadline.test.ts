import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, fixture, setUpWorkspace, textOf } from './intake-helpers.ts';

/** A download from Slack that barely moves is cut off at a total deadline, and the thread hears to share it again. */

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

describe('download deadline', () => {
  it('a file trickling in one byte at a time is given up at SLACK_DOWNLOAD_TIMEOUT_MS and the thread is told to share it again', async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', SLACK_DOWNLOAD_TIMEOUT_MS: '1500' } });
    await setUpWorkspace(stack);
    stack.slack.setDownloadMode('trickle', { intervalMs: 100 }); // ~10 bytes a second: this PDF would take hours
    const name = 'us-rental-summit.pdf';
    const file = stack.slack.addFile(T, { name, mimetype: 'application/pdf', bytes: fixture(name), user: 'UFOREMAN' });
    const started = Date.now();
    const shared = await stack.driver.shareFile({ teamId: T, userId: 'UFOREMAN', channelId: 'CJOB1', file });
    const note = await waitFor(
      () => stack.slack.messages('CJOB1').find((m) => m.thread_ts === shared.message.ts && /share it again/i.test(textOf(m))),
      'the share-it-again note',
      10_000,
    );
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(textOf(note)).toMatch(/too long/i);
    const all = await stack.app.engine.invoices.list(T);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'needs_input', extractionError: 'timeout', slackFileId: file.id });
  }, 30_000);
});
