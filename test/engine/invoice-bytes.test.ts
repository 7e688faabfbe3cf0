import { describe, it, expect, afterEach } from 'vitest';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, closeDatabase, type Db } from '../../src/store/sqlite/client.ts';
import { createStore, SqliteConn } from '../../src/store/index.ts';
import { tempDir } from '../helpers.ts';

describe('invoice files stay on disk until needed', () => {
  let db: Db;
  let cleanup: () => void;
  afterEach(() => {
    closeDatabase(db);
    cleanup();
  });

  it('lists, lookups and status changes carry no file bytes; the file is read on its own, byte for byte', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = openDatabase(join(t.dir, 'app.db'));
    const { invoices, files } = createStore(SqliteConn.open(db));
    const bytes = randomBytes(2 * 1024 * 1024);
    const { invoice } = await invoices.create({ teamId: 'T1', source: 'upload', bytes, fileName: 'big.pdf', mimeType: 'application/pdf' });
    const seen = [
      invoice,
      (await invoices.byId(invoice.id))!,
      (await invoices.get('T1', invoice.id))!,
      ...(await invoices.list('T1')),
      ...(await invoices.list('T1', { statuses: ['extracted'], limit: 10_000 })),
      await invoices.patch(invoice.id, { memo: 'x' }),
      (await invoices.transition(invoice.id, 'extracted', { actor: 'system' })).invoice,
      (await invoices.create({ teamId: 'T1', source: 'upload', bytes: randomBytes(10), fileName: 'b.pdf', mimeType: 'application/pdf' })).invoice,
      (await invoices.sameFile('T1', invoice.sha256, -1))!,
    ];
    // No row carries the 2 MB file (its bytes live in invoice_files): a few hundred bytes of JSON each.
    for (const inv of seen) {
      expect(Object.values(inv).some((v) => Buffer.isBuffer(v))).toBe(false);
      expect(JSON.stringify(inv).length).toBeLessThan(4_000);
    }
    expect(invoice.fileSize).toBe(bytes.length);
    expect(Buffer.compare(await files.bytes(invoice.id), bytes)).toBe(0);
  });
});
