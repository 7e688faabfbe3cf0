import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.ts';
import { startSlackFake, createSlackDriver, type SlackFake } from '../../emulators/slack/index.ts';
import { BOT_SCOPES } from '../../src/slack/app.ts';
import { spawnApp, type AppProcess } from '../../scripts/reliability/app-process.ts';
import { appEnv, freePort, TEAM_A, waitFor } from '../harness.ts';
import { tempDir } from '../helpers.ts';
import { fixture, isReadingCard, textOf } from './intake-helpers.ts';

/** A hard crash (SIGKILL) of the real app process while a shared file is being downloaded loses nothing. */

const T = TEAM_A.id;
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

describe('a crash during the download', () => {
  it('the restarted app finishes the download: the invoice is read and its card posted in the thread', async () => {
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
    apps.push(await spawnApp(env));
    const driver = createSlackDriver({ appUrl: apps[0].url, signingSecret, fake: slack });

    slack.setDownloadMode('stall');
    const name = 'us-rental-summit.pdf';
    const file = slack.addFile(T, { name, mimetype: 'application/pdf', bytes: fixture(name), user: 'UFOREMAN' });
    const shared = await driver.shareFile({ teamId: T, userId: 'UFOREMAN', channelId: 'CJOB1', file });
    expect(shared.fileShared.status).toBe(200); // Slack got its acks: it will not send these events again
    await waitFor(() => slack.downloadsStarted() > 0, 'the download to start', 20_000);
    await apps[0].kill('SIGKILL');

    slack.setDownloadMode('normal');
    apps.push(await spawnApp(env));
    const card = await waitFor(
      // The read card, not the "Reading your file…" one it replaces (reading runs in a worker that may still be starting).
      () =>
        slack
          .messages('CJOB1')
          .find(
            (m) =>
              m.thread_ts === shared.message.ts &&
              m.author === TEAM_A.botUserId &&
              m.blocks?.some((b: any) => b.block_id === 'invoice_status') &&
              !isReadingCard(m),
          ),
      'the card after the restart',
      30_000,
    );
    expect(textOf(card)).toContain('Summit Equipment Rentals LLC');
    const db = new Database(join(tmp.dir, 'app.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT status, slack_file_id, message_ts, uploaded_by, amount_cents FROM invoices').all();
      expect(rows).toEqual([
        { status: 'extracted', slack_file_id: file.id, message_ts: shared.message.ts, uploaded_by: 'UFOREMAN', amount_cents: 836237 },
      ]);
    } finally {
      db.close();
    }
  }, 90_000);
});
