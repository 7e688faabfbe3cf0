import { describe, it, expect, afterEach } from 'vitest';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, closeDatabase, type Db } from '../../src/store/sqlite/client.ts';
import { Invoices } from '../../src/invoices/service.ts';
import { tempDir } from '../helpers.ts';

describe('invoice files stay on disk until needed', () => {
  let db: Db;
  let cleanup: () => void;
  afterEach(() => {
    closeDatabase(db);
    cleanup();
  });

  it('lists, lookups and status changes carry no file bytes; the file is read on its own, byte for byte', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = openDatabase(join(t.dir, 'app.db'));
    const invoices = new Invoices(db);
    const bytes = randomBytes(2 * 1024 * 1024);
    const { invoice } = invoices.create({ teamId: 'T1', source: 'upload', bytes, fileName: 'big.pdf', mimeType: 'application/pdf' });
    const seen = [
      invoice,
      invoices.byId(invoice.id)!,
      invoices.get('T1', invoice.id)!,
      ...invoices.list('T1'),
      invoices.patch(invoice.id, { memo: 'x' }),
      invoices.transition(invoice.id, 'extracted', { actor: 'system' }),
      invoices.create({ teamId: 'T1', source: 'upload', bytes: randomBytes(10), fileName: 'b.pdf', mimeType: 'application/pdf' }).invoice,
      invoices.sameFile('T1', invoice.sha256, -1)!,
    ];
    for (const inv of seen) expect(Object.keys(inv)).not.toContain('fileBytes');
    expect(invoice.fileSize).toBe(bytes.length);
    expect(Buffer.compare(invoices.fileBytes(invoice.id), bytes)).toBe(0);
  });
});
