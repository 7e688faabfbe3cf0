import { afterEach, describe, expect, it, vi } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, fixture, setUpWorkspace, textOf, threadCard } from './intake-helpers.ts';

/**
 * A file whose reading runs over its time budget is set aside plainly, and the files shared with it are read as usual.
 * The extractor is stubbed for two marked files (one never answers, one throws): the real one runs in a worker pool
 * (branch `ocr`), where a runaway read can be stopped; the app's own deadline is what this checks.
 */
vi.mock('../../src/invoices/extract/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/invoices/extract/index.ts')>();
  return {
    ...real,
    extractInvoice: (bytes: Buffer, o?: Parameters<typeof real.extractInvoice>[1]) => {
      if (bytes.includes('STUB-NEVER-ANSWERS')) return new Promise(() => {});
      if (bytes.includes('STUB-THROWS')) return Promise.reject(new Error('the reader crashed'));
      return real.extractInvoice(bytes, o);
    },
  };
});

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

describe('reading budget', () => {
  it('a file still being read at READ_TIMEOUT_MS gets "could not be read safely"; one that throws and the next files are not held up', async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', READ_TIMEOUT_MS: '500' } });
    await setUpWorkspace(stack);
    const share = async (name: string, bytes: Buffer) => {
      const file = stack.slack.addFile(T, { name, mimetype: 'application/pdf', bytes, user: 'UFOREMAN' });
      return (await stack.driver.shareFile({ teamId: T, userId: 'UFOREMAN', channelId: 'CJOB1', file })).message.ts;
    };
    const stuck = share('stuck.pdf', Buffer.from('%PDF-1.4\n% STUB-NEVER-ANSWERS\n%%EOF\n'));
    const broken = share('broken.pdf', Buffer.from('%PDF-1.4\n% STUB-THROWS\n%%EOF\n'));
    const plain = share('us-rental-summit.pdf', fixture('us-rental-summit.pdf'));
    const [stuckTs, brokenTs, plainTs] = await Promise.all([stuck, broken, plain]);
    const set = await waitFor(() => threadCard(stack, 'CJOB1', stuckTs), 'the card of the file that never finishes', 10_000);
    expect(textOf(set)).toMatch(/could not be read safely/i);
    await waitFor(() => threadCard(stack, 'CJOB1', brokenTs), 'the card of the file whose reader threw', 10_000);
    const read = await waitFor(() => threadCard(stack, 'CJOB1', plainTs), 'the card of the plain file', 10_000);
    expect(textOf(read)).toContain('Summit Equipment Rentals LLC');
    const byName = Object.fromEntries(stack.app.engine.invoices.list(T).map((i) => [i.fileName, i]));
    expect(byName['stuck.pdf']).toMatchObject({ status: 'needs_input', extractionError: 'too_long' });
    expect(byName['broken.pdf']).toMatchObject({ status: 'needs_input', extractionError: 'corrupt' });
    expect(byName['us-rental-summit.pdf']).toMatchObject({ status: 'extracted', amountCents: 836237 });
  }, 60_000);
});
