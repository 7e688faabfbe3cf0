import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { T, byName, expectNothingRejected, invoiceOf, onlyInvoice, openReview, settle, setUpWorkspace, share, textOf } from './intake-helpers.ts';
import { longScan } from '../../scripts/photos/scan-pdf.ts';

/** A scan longer than the reading budget: kept as needs input with what was read, nothing lost. */

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

describe('a 30-page scan over the budget', () => {
  it('is kept as needs input: "too long to read — please fill it in", the pages read so far shown, the file booked as shared', async () => {
    // Two pages of OCR per file (the first and the last), so the test reads 2 pages, not 20.
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', EXTRACT_MAX_PAGES: '2', READ_TIMEOUT_MS: '600000' } });
    const ws = await setUpWorkspace(stack);
    const bytes = await longScan(30);
    const { card } = await share(stack, 'Scan 30 pages.pdf', { bytes, mimetype: 'application/pdf', timeoutMs: 240_000 });
    const inv = await onlyInvoice(stack);
    expect(inv).toMatchObject({ status: 'needs_input', extractionError: 'too_long' });
    expect(Buffer.compare(await stack.app.engine.files.bytes(inv.id), bytes)).toBe(0);
    expect(textOf(card)).toMatch(/too long to read automatically — please fill it in/);
    expect(inv.extracted).toMatchObject({ source: 'ocr', pages: 30 });
    expect(String(inv.extracted?.ocrText ?? '').length).toBeGreaterThan(100); // what was read is kept

    const vendor = await byName(stack.app.engine, 'Vendor', 'Lieferant GmbH');
    const res = await stack.driver.submitView({
      teamId: T,
      userId: 'UFOREMAN',
      view: await openReview(stack, card),
      values: { Vendor: { value: vendor.id, text: vendor.name }, Amount: '529.87' },
    });
    expect(res.errors).toBeUndefined();
    await settle(stack);
    expect((await invoiceOf(stack, inv.id)).status).toBe('synced');
    const att = stack.qbo.entities(ws.realmId, 'Attachable')[0];
    expect(att).toMatchObject({ FileName: 'Scan 30 pages.pdf', ContentType: 'application/pdf' });
    expect(Buffer.compare(att._bytes, bytes)).toBe(0);
    expectNothingRejected(stack);
  }, 300_000);
});
