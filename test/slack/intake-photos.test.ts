import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { expectNothingRejected, isReadingCard, onlyInvoice, settle, setUpWorkspace, share, textOf, threadCard } from './intake-helpers.ts';
import { AZURE_LINES, invoiceImage } from './photo-helpers.ts';

/** Photos and scans shared in Slack, end to end over HTTP (Slack fake + the real app + QBO emulator). */

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

const inThread = (method: string, channel: string, ts: string) =>
  stack.slack.callsTo(method).filter((c) => c.args.channel === channel && (c.args.thread_ts === ts || method === 'chat.update'));

describe('the thread card while a photo is read', () => {
  it('appears at once ("Reading your photo…"), then the same message shows the result; one card per file', async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
    await setUpWorkspace(stack);
    const bytes = await invoiceImage(AZURE_LINES, 'jpeg');
    const { card, message } = await share(stack, 'IMG_2041.jpg', { bytes, mimetype: 'image/jpeg', timeoutMs: 60_000 });
    await settle(stack);
    const posts = inThread('chat.postMessage', 'CJOB1', message.ts);
    expect(posts).toHaveLength(1);
    expect(textOf(posts[0].args)).toContain('Reading your photo…');
    expect(textOf(posts[0].args)).toContain('IMG_2041.jpg');
    const now = threadCard(stack, 'CJOB1', message.ts)!;
    expect(now.ts).toBe(card.ts);
    expect(isReadingCard(now)).toBe(false);
    expect(textOf(now)).not.toContain('Reading your photo');
    // Nothing lost: the photo is stored as shared.
    const inv = onlyInvoice(stack);
    expect(inv).toMatchObject({ mimeType: 'image/jpeg', fileName: 'IMG_2041.jpg' });
    expect(Buffer.compare(stack.app.engine.invoices.fileBytes(inv.id), bytes)).toBe(0);
    expectNothingRejected(stack);
  }, 90_000);
});
