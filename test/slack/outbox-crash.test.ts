import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.ts';
import { startSlackFake, type SlackFake } from '../../emulators/slack/index.ts';
import { BOT_SCOPES } from '../../src/slack/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createEngine } from '../../src/engine.ts';
import { createLogger } from '../../src/log.ts';
import { spawnApp, type AppProcess } from '../../scripts/reliability/app-process.ts';
import { appEnv, freePort, TEAM_A, waitFor } from '../harness.ts';
import { tempDir } from '../helpers.ts';
import { fixture } from './intake-helpers.ts';

/**
 * The outbox across a hard crash (SIGKILL of the real app process): a card and a DM whose status changes were
 * committed but whose Slack calls never got through are sent by the next process, once each — even when two
 * processes start on the same database.
 */

const T = TEAM_A.id;
const bot = TEAM_A.botUserId;
let qbo: QboEmulator;
let slack: SlackFake;
let apps: AppProcess[] = [];
let cleanup = () => {};
afterEach(async () => {
  for (const a of apps) await a.kill();
  apps = [];
  await slack?.close();
  await qbo?.close();
  cleanup();
});

function outboxRows(dir: string): Array<{ kind: string; delivered_at: number | null }> {
  const db = new Database(join(dir, 'app.db'), { readonly: true });
  try {
    return db.prepare('SELECT kind, delivered_at FROM outbox ORDER BY id').all() as Array<{
      kind: string;
      delivered_at: number | null;
    }>;
  } finally {
    db.close();
  }
}

describe('the outbox after a crash', () => {
  it('a card and a DM committed before a SIGKILL are delivered by the next processes, once each', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    qbo = await startQboEmulator();
    slack = await startSlackFake({ teams: [{ scopes: [...BOT_SCOPES], ...TEAM_A }] });
    const signingSecret = randomBytes(16).toString('hex');
    const env = {
      ...appEnv({ qbo, slack, port: await freePort(), dir: tmp.dir, signingSecret, botToken: TEAM_A.botToken }),
      LOG_LEVEL: 'warn',
      WORKER_POLL_MS: '50',
      WORKER_BACKOFF_BASE_MS: '50',
    };

    // Stored before the crash, not read yet: a file shared in #job (its card is news) and an upload of a file that
    // is already in QuickBooks (its uploader gets a "looks like a duplicate" DM).
    const seed = await createEngine(
      loadConfig(env),
      createLogger('error', {}, () => {}),
    );
    const dupBytes = fixture('us-rental-summit.pdf');
    const booked = await seed.invoices.create({
      teamId: T,
      source: 'upload',
      bytes: dupBytes,
      fileName: 'summit.pdf',
      mimeType: 'application/pdf',
      uploadedBy: 'UPM',
    });
    await seed.invoices.patch(booked.invoice.id, {
      status: 'synced',
      qboId: '9001',
      txnType: 'Bill',
      qboDocNumber: 'R-558201',
    });
    await seed.invoices.create({
      teamId: T,
      source: 'upload',
      bytes: dupBytes,
      fileName: 'summit-again.pdf',
      mimeType: 'application/pdf',
      uploadedBy: 'UFOREMAN',
    });
    const name = 'us-rental-bigsky.pdf';
    const file = slack.addFile(T, { name, mimetype: 'application/pdf', bytes: fixture(name), user: 'UFOREMAN' });
    const message = slack.postUserMessage(T, { channel: 'CJOB1', user: 'UFOREMAN', files: [file] });
    await seed.invoices.create({
      teamId: T,
      source: 'channel',
      bytes: fixture(name),
      fileName: name,
      mimeType: 'application/pdf',
      slackFileId: file.id,
      channelId: 'CJOB1',
      messageTs: message.ts,
      uploadedBy: 'UFOREMAN',
    });
    await seed.close();

    // Slack answers the first posts with a rate limit: the process is waiting it out when it dies.
    slack.failNext('chat.postMessage', 'ratelimited', { status: 429, retryAfter: 5 });
    slack.failNext('chat.postMessage', 'ratelimited', { status: 429, retryAfter: 5 });
    apps.push(await spawnApp(env));
    await waitFor(() => slack.callsTo('chat.postMessage').some((c) => !c.ok), 'a post refused with 429', 30_000);
    await waitFor(
      () => {
        const rows = outboxRows(tmp.dir);
        return rows.some((r) => r.kind === 'card') && rows.some((r) => r.kind === 'dm') && rows;
      },
      'the card and the DM in the outbox',
      30_000,
    );
    expect(slack.callsTo('chat.postMessage').filter((c) => c.ok)).toEqual([]);
    await apps[0].kill('SIGKILL');
    expect(outboxRows(tmp.dir).filter((r) => r.kind !== 'notice' && r.delivered_at == null).length).toBeGreaterThan(0);

    // Two processes start on the same database (a restart, and a second instance).
    const [b, c] = await Promise.all([spawnApp({ ...env, PORT: String(await freePort()) }), spawnApp({ ...env, PORT: String(await freePort()) })]);
    apps.push(b, c);
    const dms = () => slack.dms(T, 'UFOREMAN').filter((m) => m.author === bot && /looks like a duplicate/.test(m.text ?? ''));
    const cards = () => slack.messages('CJOB1').filter((m) => m.thread_ts === message.ts && m.author === bot);
    await waitFor(() => dms().length > 0 && cards().length > 0, 'the DM and the card after the crash', 60_000);
    await waitFor(() => outboxRows(tmp.dir).every((r) => r.delivered_at != null), 'the outbox delivered', 30_000);
    await new Promise((r) => setTimeout(r, 500)); // both processes keep polling: nothing more comes
    expect(dms()).toHaveLength(1);
    expect(cards()).toHaveLength(1);
    expect(cards()[0].blocks?.some((blk: any) => blk.block_id === 'invoice_status')).toBe(true);
    expect(slack.dms(T, 'UPM').filter((m) => m.author === bot)).toEqual([]); // the booked one's uploader hears nothing
  }, 150_000);
});
