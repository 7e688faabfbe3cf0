import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, fixture, setUpWorkspace, textOf, threadCard } from './intake-helpers.ts';

/**
 * A file whose reading runs over its time budget is set aside plainly, and the files shared with it are read as usual.
 * The slow file is a real scan (OCR takes seconds a page), read in the engine's worker pool: at READ_TIMEOUT_MS (counted
 * from when a worker starts on it) the app gives up and the worker is stopped; a damaged file fails on its own.
 */
/** The thread card once it says something other than "Reading…". */
const doneCard = (ts: string) => () => {
  const c = threadCard(stack, 'CJOB1', ts);
  return c && !/Reading your/.test(textOf(c)) ? c : undefined;
};
const scan = () => readFileSync(path.resolve(import.meta.dirname, '../fixtures/photos/ferd-EN16931_Einfach.scan.pdf'));

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

describe('reading budget', () => {
  it('a file still being read at READ_TIMEOUT_MS gets "could not be read safely"; a damaged one and the next files are not held up', async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', READ_TIMEOUT_MS: '1500', EXTRACT_WORKERS: '2' } });
    await setUpWorkspace(stack);
    const share = async (name: string, bytes: Buffer) => {
      const file = stack.slack.addFile(T, { name, mimetype: 'application/pdf', bytes, user: 'UFOREMAN' });
      return (await stack.driver.shareFile({ teamId: T, userId: 'UFOREMAN', channelId: 'CJOB1', file })).message.ts;
    };
    const stuck = share('stuck.pdf', scan());
    const broken = share('broken.pdf', Buffer.from('%PDF-1.4\n% not a document\n%%EOF\n'));
    const plain = share('us-rental-summit.pdf', fixture('us-rental-summit.pdf'));
    const [stuckTs, brokenTs, plainTs] = await Promise.all([stuck, broken, plain]);
    const set = await waitFor(doneCard(stuckTs), 'the card of the file that never finishes', 40_000);
    expect(textOf(set)).toMatch(/could not be read safely/i);
    await waitFor(doneCard(brokenTs), 'the card of the damaged file', 40_000);
    const read = await waitFor(doneCard(plainTs), 'the card of the plain file', 40_000);
    expect(textOf(read)).toContain('Summit Equipment Rentals LLC');
    const byName = Object.fromEntries((await stack.app.engine.invoices.list(T)).map((i) => [i.fileName, i]));
    expect(byName['stuck.pdf']).toMatchObject({ status: 'needs_input', extractionError: 'too_long' });
    expect(byName['broken.pdf']).toMatchObject({ status: 'needs_input', extractionError: 'corrupt' });
    expect(byName['us-rental-summit.pdf']).toMatchObject({ status: 'extracted', amountCents: 836237 });
  }, 120_000);
});
