/**
 * `npm run --silent bench:sync`: BENCH_INVOICES (450) invoices over BENCH_REALMS (3) QBO companies queued at once,
 * through the durable queue to the QBO emulator over real HTTP (real node-quickbooks), with BENCH_LATENCY_MS (40)
 * network latency. The emulator enforces Intuit's limits (500 requests per minute per company, 10 in flight) on a
 * windows scaled down to BENCH_WINDOW_MS (6 s, so 50 requests per window: the same 500 a minute, counted more
 * finely), and the app is told the same window (QBO_RATE_WINDOW_MS). The ceiling at 2 requests per invoice is
 * 250 invoices per minute per company; fractionOfCeiling is what a company achieved against it, from the first QBO
 * request (the queue is full by then) to the last invoice booked.
 */
import { performance } from 'node:perf_hooks';
import { startEngineStack, configureWorkspace, byName } from '../emulators/engine-stack.ts';

const N = Number(process.env.BENCH_INVOICES ?? 450);
const REALMS = Number(process.env.BENCH_REALMS ?? 3);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 40);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 6000);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 280) * 1000;
const LIMIT_PER_MINUTE = 500;
const perWindow = Math.round((LIMIT_PER_MINUTE * WINDOW_MS) / 60_000);

const s = await startEngineStack({
  emu: { latencyMs: LATENCY, rateLimitPerMinute: perWindow, rateWindowMs: WINDOW_MS, maxConcurrent: 10 },
  env: { LOG_LEVEL: 'warn', WORKER_POLL_MS: '20', QBO_RATE_WINDOW_MS: String(WINDOW_MS) },
});
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
try {
  const { emu } = s;
  const teams = Array.from({ length: REALMS }, (_, i) => `T${i + 1}`);
  const realms: string[] = [];
  for (const [i, team] of teams.entries()) realms.push(await s.connect(team, i === 0 ? emu.defaultRealmId : emu.addCompany(`Bench Co ${i + 1}`)));
  const { engine } = s;
  const ids: number[] = [];
  for (const team of teams) {
    await configureWorkspace(engine, team, { autoSync: true });
    const vendor = await byName(engine, team, 'Vendor', 'United Rentals');
    for (let i = 0; i < N / REALMS; i++) {
      const { invoice } = await engine.invoices.create({
        teamId: team,
        source: 'upload',
        bytes: Buffer.from(`%PDF-1.4\n% bench invoice ${team} ${i}\n%%EOF\n`),
        fileName: `bench-${i}.pdf`,
        mimeType: 'application/pdf',
        uploadedBy: 'UBENCH',
      });
      await engine.invoices.confirm(
        invoice.id,
        {
          txnType: i % 2 ? 'Expense' : 'Bill',
          purchaseAccountId: null,
          projectProfileId: null,
          costCodeProfileId: null,
          vendorId: vendor.id,
          vendorName: vendor.name,
          amountCents: 10_000 + i,
          currency: 'USD',
          invoiceNumber: `B-${i}`,
          invoiceDate: '2026-11-02',
          dueDate: null,
          memo: null,
        },
        'UBENCH',
      );
      ids.push(invoice.id);
    }
  }
  // Start measuring at a fresh window, as a steady state would see it.
  await new Promise((r) => setTimeout(r, WINDOW_MS + 100));
  const before = emu.requests.length;
  const meteredBefore = (await engine.metered.month()).total;
  const throttledBefore = emu.stats.throttled;
  const t0 = performance.now();
  for (const id of ids) await engine.sync.submit(id, 'UBENCH');
  await engine.worker.start();
  await Promise.race([engine.worker.idle(), new Promise((r) => setTimeout(r, TIMEOUT_MS))]);
  const ms = performance.now() - t0;
  const tEnd = Date.now();
  const synced = (await Promise.all(ids.map((id) => engine.invoices.byId(id)))).filter((i) => i!.status === 'synced').length;
  const api = emu.requests.slice(before).filter((r) => r.realmId && r.path.includes('/v3/company/'));
  const reads = api.filter((r) => r.method === 'GET').length;
  const txns = realms.reduce((n, r) => n + emu.entities(r, 'Bill').length + emu.entities(r, 'Purchase').length, 0);
  // From the first QBO request (the queue is full by then) to the last invoice booked, per company.
  const firstAt = Math.min(...api.map((r) => r.at));
  const achieved = synced / REALMS / ((tEnd - firstAt) / 60_000);
  console.log(
    JSON.stringify({
      invoices: ids.length,
      realms: REALMS,
      requestsPerInvoice: Number((api.length / ids.length).toFixed(2)),
      readsPerInvoice: Number((reads / ids.length).toFixed(2)),
      // Intuit's metered calls as the app counted them during the run, and this month's quota left after it.
      meteredCallsPerInvoice: Number((((await engine.metered.month()).total - meteredBefore) / ids.length).toFixed(2)),
      meteredBudgetLeft: (await engine.metered.month()).left,
      limitPerMinute: LIMIT_PER_MINUTE,
      achievedPerMinutePerRealm: Math.round(achieved),
      fractionOfCeiling: Number((achieved / (LIMIT_PER_MINUTE / 2)).toFixed(2)),
      throttled: emu.stats.throttled - throttledBefore,
      duplicates: realms.reduce((n, r) => {
        const docs = [...emu.entities(r, 'Bill'), ...emu.entities(r, 'Purchase')].map((t) => t.DocNumber);
        return n + docs.length - new Set(docs).size;
      }, 0),
      peakRssMb: Math.round(peakRss / 2 ** 20),
      synced,
      attachments: realms.reduce((n, r) => n + emu.entities(r, 'Attachable').length, 0),
      windowMs: WINDOW_MS,
      latencyMs: LATENCY,
      seconds: Number((ms / 1000).toFixed(1)),
      secondsQueuedToFirstRequest: Number(((firstAt - (tEnd - ms)) / 1000).toFixed(1)),
      timedOut: synced < ids.length && ms >= TIMEOUT_MS,
    }),
  );
  if (synced !== ids.length || txns !== ids.length) process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await s.stop();
}
