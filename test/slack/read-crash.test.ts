import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { createEngine } from '../../src/engine.ts';
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.ts';
import { startSlackFake, type SlackFake } from '../../emulators/slack/index.ts';
import { BOT_SCOPES } from '../../src/slack/app.ts';
import { spawnApp, type AppProcess } from '../../scripts/reliability/app-process.ts';
import { pageFlateBomb } from '../../scripts/reliability/hostile.ts';
import { appEnv, freePort, TEAM_A, waitFor } from '../harness.ts';
import { tempDir } from '../helpers.ts';
import { fixture, textOf } from './intake-helpers.ts';

/**
 * A file whose reading kills the process must not kill it at every start: after READ_MAX_ATTEMPTS reads that never
 * finished, the invoice is set aside as "could not be read safely", and the files behind it are read.
 */

const T = TEAM_A.id;
let qbo: QboEmulator;
let slack: SlackFake;
let app: AppProcess | null = null;
let cleanup = () => {};
afterEach(async () => {
  await app?.kill();
  await slack?.close();
  await qbo?.close();
  cleanup();
});

const card = (channel: string, ts: string) =>
  slack
    .messages(channel)
    .find((m) => m.thread_ts === ts && m.author === TEAM_A.botUserId && m.blocks?.some((b: any) => b.block_id === 'invoice_status'));

describe('a file that crashes the app while it is read', () => {
  it('is read at most READ_MAX_ATTEMPTS times across restarts, then marked as not readable safely; the next file is read', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    qbo = await startQboEmulator();
    slack = await startSlackFake({ teams: [{ scopes: [...BOT_SCOPES], ...TEAM_A }] });
    const env = {
      ...appEnv({ qbo, slack, port: await freePort(), dir: tmp.dir, signingSecret: randomBytes(16).toString('hex'), botToken: TEAM_A.botToken }),
      LOG_LEVEL: 'info',
      READ_MAX_ATTEMPTS: '2',
    };
    // Two files stored by an earlier process that died before reading them: a slow, hostile one first, then a plain one.
    const engine = await createEngine(loadConfig(env), createLogger('error'));
    const stored: string[] = [];
    for (const { name, bytes } of [
      { name: 'hostile.pdf', bytes: await pageFlateBomb(3) },
      { name: 'us-rental-summit.pdf', bytes: fixture('us-rental-summit.pdf') },
    ]) {
      const file = slack.addFile(T, { name, mimetype: 'application/pdf', bytes, user: 'UFOREMAN' });
      const message = slack.postUserMessage(T, { channel: 'CJOB1', user: 'UFOREMAN', files: [file] });
      await engine.invoices.create({
        teamId: T,
        source: 'channel',
        bytes,
        fileName: name,
        mimeType: 'application/pdf',
        slackFileId: file.id,
        channelId: 'CJOB1',
        messageTs: message.ts,
        uploadedBy: 'UFOREMAN',
      });
      stored.push(message.ts);
    }
    await engine.close();
    const status = () => {
      const db = new Database(join(tmp.dir, 'app.db'), { readonly: true });
      try {
        return db.prepare('SELECT status, extraction_error AS error, extracted FROM invoices ORDER BY id').all() as Array<{
          status: string;
          error: string | null;
          extracted?: string;
        }>;
      } finally {
        db.close();
      }
    };
    const readingLogged = (a: AppProcess) => a.output.filter((l) => l.includes('reading an invoice left unread')).length;

    // Twice, the process dies (SIGKILL, as the kernel's OOM killer would) while it reads the hostile file.
    for (let i = 0; i < 2; i++) {
      app = await spawnApp(env);
      // The read has begun once it is counted (the count is written just before the reader starts).
      await waitFor(
        () => status()[0].extracted === JSON.stringify({ readAttempts: i + 1 }) || status()[0].status !== 'received',
        'the hostile file being read',
        60_000,
      );
      await app.kill('SIGKILL');
      expect(status()[0], app.output.slice(-8).join('\n')).toMatchObject({ status: 'received', extracted: JSON.stringify({ readAttempts: i + 1 }) });
    }

    app = await spawnApp(env);
    const set = await waitFor(() => card('CJOB1', stored[0]), `the card of the file set aside\n${app.output.slice(-15).join('\n')}`, 60_000);
    expect(textOf(set)).toMatch(/could not be read safely/i);
    const read = await waitFor(() => card('CJOB1', stored[1]), 'the card of the next file', 30_000);
    expect(textOf(read)).toContain('Summit Equipment Rentals LLC');
    expect(status().map(({ status, error }) => ({ status, error }))).toEqual([
      { status: 'needs_input', error: 'unsafe' },
      { status: 'extracted', error: null },
    ]);
    expect(readingLogged(app)).toBe(1); // only the plain file: the hostile one was not read a third time
  }, 120_000);
});
