/**
 * `npm run --silent bench:sync`: how fast invoices go from `ready` to a Bill in QuickBooks through the durable
 * queue, against the local QBO emulator over real HTTP (real node-quickbooks), with a simulated network latency.
 * Prints one JSON object. BENCH_INVOICES (default 100) and BENCH_LATENCY_MS (default 40) tune it.
 */
import { performance } from 'node:perf_hooks';
import { startEngineStack, configureWorkspace, byName } from '../test/engine/engine-harness.ts';

const N = Number(process.env.BENCH_INVOICES ?? 100);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 40);
const TEAM = 'T1';

const s = await startEngineStack({ emu: { latencyMs: LATENCY }, env: { LOG_LEVEL: 'warn', WORKER_POLL_MS: '20' } });
try {
  const realm = await s.connect(TEAM);
  const { engine, emu } = s;
  configureWorkspace(engine, TEAM, { autoSync: true });
  const vendor = byName(engine, TEAM, 'Vendor', 'United Rentals');
  const ids: number[] = [];
  for (let i = 0; i < N; i++) {
    const { invoice } = engine.invoices.create({
      teamId: TEAM,
      source: 'upload',
      bytes: Buffer.from(`%PDF-1.4\n% bench invoice ${i}\n%%EOF\n`),
      fileName: `bench-${i}.pdf`,
      mimeType: 'application/pdf',
      uploadedBy: 'UBENCH',
    });
    engine.invoices.confirm(
      invoice.id,
      {
        txnType: i % 2 ? 'Expense' : 'Bill', purchaseAccountId: null, projectProfileId: null, costCodeProfileId: null,
        vendorId: vendor.id, vendorName: vendor.name, amountCents: 10_000 + i, currency: 'USD', invoiceNumber: `B-${i}`,
        invoiceDate: '2026-11-02', dueDate: null, memo: null,
      },
      'UBENCH',
    );
    ids.push(invoice.id);
  }
  const before = { requests: emu.stats.apiRequests, refreshes: emu.stats.refreshGrants };
  const t0 = performance.now();
  for (const id of ids) engine.sync.submit(id, 'UBENCH');
  engine.worker.start();
  await engine.worker.idle();
  const ms = performance.now() - t0;
  const synced = ids.filter((id) => engine.invoices.byId(id)!.status === 'synced').length;
  const txns = emu.entities(realm, 'Bill').length + emu.entities(realm, 'Purchase').length;
  const requests = emu.stats.apiRequests - before.requests;
  console.log(
    JSON.stringify({
      invoices: N,
      latencyMs: LATENCY,
      synced,
      qboTransactions: txns,
      attachments: emu.entities(realm, 'Attachable').length,
      seconds: Number((ms / 1000).toFixed(2)),
      invoicesPerMinute: Math.round((synced / ms) * 60_000),
      qboRequests: requests,
      requestsPerInvoice: Number((requests / N).toFixed(2)),
      maxConcurrentAtQbo: emu.stats.maxConcurrentSeen,
      throttled429: emu.stats.throttled,
      tokenRefreshes: emu.stats.refreshGrants - before.refreshes,
    }),
  );
  if (synced !== N || txns !== N) process.exitCode = 1;
} finally {
  await s.stop();
}
