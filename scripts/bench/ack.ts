/**
 * ackDuringOcr: the real app on loopback (emulators/stack.ts startStack: real Bolt over HTTP, the QBO emulator, the Slack
 * fake), QuickBooks connected through the emulator's OAuth. Signed `/qbo status` commands go out at a steady rate
 * (open loop: one every `intervalMs`, not waiting for the previous ack); the p99 of their ack times is taken idle,
 * then while the app reads a 20-page scan shared in a job channel (file_shared through the Slack fake).
 * ratio = busyP99 / idleP99.
 */
import { startStack, type Stack, TEAM_A } from '../../emulators/stack.ts';
import { longScan } from '../photos/scan-pdf.ts';
import { pct, r1 } from './score.ts';

const T = TEAM_A.id;

async function connect(stack: Stack): Promise<void> {
  const { engine } = stack.app;
  const consent = await fetch(engine.oauth.authorizeUrl('state-bench'), { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`authorize answered ${consent.status}`);
  const tokens = await engine.oauth.exchangeCode(location);
  await engine.connections.save(T, tokens.realmId, tokens, {
    connectedBy: 'UADMIN',
    companyName: 'Keystone Builders LLC',
  });
  await engine.lists.refresh(T);
}

/** Sends `/qbo status` every `intervalMs` until `until()` says stop (checked before each send); ack times in ms. */
async function sample(
  stack: Stack,
  intervalMs: number,
  until: (elapsedMs: number) => boolean,
): Promise<{ acks: number[]; errors: number; ms: number }> {
  const acks: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; ; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (until(performance.now() - start)) break;
    inflight.push(
      (async () => {
        const t0 = performance.now();
        const res = await stack.driver.command({
          teamId: T,
          userId: 'UPM',
          command: '/qbo',
          text: 'status',
          channelId: 'CJOB1',
        });
        acks.push(performance.now() - t0);
        if (res.status !== 200) errors++;
      })().catch(() => {
        errors++;
      }),
    );
  }
  await Promise.all(inflight);
  return { acks, errors, ms: performance.now() - start };
}

/** What the thread card of the shared file says: still reading (or not there yet), and the progress it shows. */
function cardState(stack: Stack, threadTs: string): { reading: boolean; page: number | null } {
  const card = stack.slack.messages('CJOB1').find((m) => m.thread_ts === threadTs && m.author === TEAM_A.botUserId && !m.ephemeral);
  if (!card) return { reading: true, page: null };
  const text = JSON.stringify({ text: card.text, blocks: card.blocks });
  const progress = /page (\d+) of \d+/i.exec(text);
  return { reading: /\breading\b|page \d+ of \d+/i.test(text), page: progress ? Number(progress[1]) : null };
}

export interface AckOptions {
  intervalMs: number;
  idleMs: number;
  /** The busy phase ends when the file is read, or after this long. */
  maxBusyMs: number;
  pages: number;
}

export async function ackDuringOcr(o: AckOptions) {
  const stack = await startStack({ logLevel: 'error' });
  try {
    await connect(stack);
    // Warm-up: Bolt, the DB, the first QBO calls.
    await sample(stack, o.intervalMs, (ms) => ms > 1000);
    const idle = await sample(stack, o.intervalMs, (ms) => ms >= o.idleMs);

    const pdf = await longScan(o.pages);
    const file = stack.slack.addFile(T, {
      name: `scan-${o.pages}-pages.pdf`,
      mimetype: 'application/pdf',
      bytes: pdf,
      user: 'UFOREMAN',
    });
    const sharedAt = performance.now();
    const shared = stack.driver.shareFile({ teamId: T, userId: 'UFOREMAN', channelId: 'CJOB1', file });
    let threadTs: string | null = null;
    let readMs: number | null = null;
    let lastPage: number | null = null;
    void shared.then((s) => {
      threadTs = s.message.ts;
    });
    const busy = await sample(stack, o.intervalMs, (ms) => {
      if (ms >= o.maxBusyMs) return true;
      if (!threadTs || ms < 500) return false;
      const state = cardState(stack, threadTs);
      lastPage = state.page ?? lastPage;
      if (!state.reading) {
        readMs = performance.now() - sharedAt;
        return true;
      }
      return false;
    });
    await shared;
    const idleP99 = pct(idle.acks, 0.99);
    const busyP99 = pct(busy.acks, 0.99);
    return {
      idleP99Ms: r1(idleP99),
      busyP99Ms: r1(busyP99),
      ratio: idleP99 ? Math.round((busyP99 / idleP99) * 100) / 100 : null,
      samples: { idle: idle.acks.length, busy: busy.acks.length },
      errors: idle.errors + busy.errors,
      intervalMs: o.intervalMs,
      scanPages: o.pages,
      scanReadMs: readMs === null ? null : Math.round(readMs),
      busyWindowMs: Math.round(busy.ms),
      /** The last "page N of M" the card showed during the busy window. */
      lastProgressPage: lastPage,
      ...(readMs === null ? { note: `the card still said it was reading after ${o.maxBusyMs} ms; the busy window was cut there` } : {}),
    };
  } finally {
    await stack.stop();
  }
}
