import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('npm run extract', () => {
  it('prints one JSON object per file and nothing else on stdout', async () => {
    const files = ['invoice2data-NetpresseInvoice.pdf', 'ferd-EN16931_Einfach.pdf', 'NOTICE', 'missing.pdf'].map((f) =>
      path.join('test/fixtures/invoices', f),
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/extract.ts', ...files], {
      cwd: root,
      timeout: 60_000,
    });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      ok: true,
      source: 'text',
      vendor: 'NETPRESSE',
      invoiceNumber: '2022089083',
      invoiceDate: '2022-11-28',
      total: 56.02,
      currency: 'EUR',
    });
    expect(typeof lines[0].ms).toBe('number');
    expect(Array.isArray(lines[0].lines)).toBe(true);
    expect(lines[1]).toMatchObject({ ok: true, source: 'xml', invoiceNumber: '471102', dueDate: '2018-04-04' });
    expect(lines[2]).toMatchObject({ ok: false, error: 'not_pdf' });
    expect(lines[3]).toMatchObject({ ok: false, error: 'not_found' });
  });
});
