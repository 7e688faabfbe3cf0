import { afterEach, describe, expect, it } from 'vitest';
import { startEngineStack, type EngineStack } from '../../emulators/engine-stack.ts';
import { FileIntake, INTAKE_JOB, type FileShare, type IntakePort, type SharedFile } from '../../src/app/intake.ts';
import { intakeDepsOf } from '../../src/invoices/intake.ts';
import { intakeJobKey } from '../../src/invoices/recovery-leases.ts';
import { fixture } from '../slack/intake-helpers.ts';

/**
 * The intake use case on the real engine (store, job queue, reader) with a fake Slack port: what reaches Slack (how
 * often the file is described and downloaded, the notes) and what is stored.
 */

const T = 'T1';
const NAME = 'us-rental-summit.pdf';
const bytes = fixture(NAME);

let stack: EngineStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

interface Fake {
  port: IntakePort;
  described: number;
  downloaded: number;
  notes: Array<{ fileId: string; threadTs: string | null }>;
  /** Holds files.info until released (a slow Slack, so a second delivery arrives mid-fetch). */
  release(): void;
}

function fakePort(o: { slackDown?: boolean; hold?: boolean } = {}): Fake {
  let release = () => {};
  const held = o.hold ? new Promise<void>((r) => (release = r)) : Promise.resolve();
  const file: SharedFile = {
    name: NAME,
    mimeType: 'application/pdf',
    filetype: 'pdf',
    size: bytes.length,
    user: 'UFOREMAN',
    downloadUrl: 'https://files.slack.com/files-pri/T1-F1/download/x.pdf',
    shareTs: null,
  };
  const fake: Fake = {
    described: 0,
    downloaded: 0,
    notes: [],
    release: () => release(),
    port: {
      async describe() {
        fake.described++;
        await held;
        if (o.slackDown) throw new Error('An API error occurred: internal_error');
        return file;
      },
      async download() {
        fake.downloaded++;
        return { ok: true, bytes };
      },
      ownCompanyNames: async () => [],
      showReading: () => null,
      cardChanged: async () => {},
      async tellNotFetched(share, threadTs) {
        fake.notes.push({ fileId: share.fileId, threadTs });
      },
    },
  };
  return fake;
}

async function start(fake: Fake, env: Record<string, string> = {}) {
  stack = await startEngineStack({ env: { LOG_LEVEL: 'warn', ...env } });
  const { engine } = stack;
  const intake = new FileIntake({
    intake: intakeDepsOf(engine),
    worker: engine.worker,
    autoBook: engine.autoBook,
    read: { timeoutMs: 60_000 },
    log: engine.log,
    portFor: async () => fake.port,
  });
  return { engine, intake };
}

const fileShared: FileShare = { teamId: T, fileId: 'F1', source: 'channel', channelId: 'CJOB1', userId: 'UFOREMAN' };
const message: FileShare = { ...fileShared, messageTs: '1700000000.000100', fileName: NAME };

describe('file intake (use case)', () => {
  it('the two events of one upload make one invoice from one fetch, answered in the thread only the message knew', async () => {
    const fake = fakePort({ hold: true });
    const { engine, intake } = await start(fake);
    const first = intake.deliver(fake.port, fileShared);
    await new Promise((r) => setTimeout(r, 50)); // file_shared's attempt is waiting on files.info
    await intake.deliver(fake.port, message);
    fake.release();
    await first;
    // Slack redelivers the event after the file is in: nothing is fetched again.
    await intake.deliver(fake.port, fileShared);
    const all = await engine.invoices.list(T);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'extracted', slackFileId: 'F1', messageTs: message.messageTs, uploadedBy: 'UFOREMAN' });
    expect(all[0]!.vendorName).toContain('Summit Equipment Rentals');
    expect({ described: fake.described, downloaded: fake.downloaded }).toEqual({ described: 1, downloaded: 1 });
  }, 60_000);

  it('Slack never hands the file over: retried, and on the last attempt the person is told once, in the thread', async () => {
    const fake = fakePort({ slackDown: true });
    const { engine, intake } = await start(fake, { WORKER_MAX_ATTEMPTS: '3' });
    await intake.deliver(fake.port, fileShared);
    await intake.deliver(fake.port, message); // the job is queued for a retry: this delivery takes it over now
    await engine.worker.start();
    await engine.worker.idle();
    expect(fake.described).toBe(3);
    expect(fake.notes).toEqual([{ fileId: 'F1', threadTs: message.messageTs }]);
    expect(await engine.invoices.list(T)).toHaveLength(0);
  }, 60_000);

  it('a second upload of the same file while the first is read is turned away (null), not read twice', async () => {
    const fake = fakePort({ hold: true });
    const { intake } = await start(fake);
    const upload: FileShare = { teamId: T, fileId: 'F2', source: 'upload', userId: 'UFOREMAN' };
    const first = intake.intake(fake.port, upload);
    await new Promise((r) => setTimeout(r, 20));
    expect(await intake.intake(fake.port, upload)).toBeNull();
    fake.release();
    const res = await first;
    expect(res).toMatchObject({ created: true, invoice: { status: 'extracted', source: 'upload' } });
    expect(await intake.intake(fake.port, upload)).toMatchObject({ created: false, invoice: { id: res!.invoice.id } });
    expect({ described: fake.described, downloaded: fake.downloaded }).toEqual({ described: 1, downloaded: 1 });
  }, 60_000);

  it('an intake job taken over from an instance that died while reading reads the invoice it had stored', async () => {
    const fake = fakePort();
    const { engine } = await start(fake);
    // What the dead instance left: the invoice stored (never read) and its intake job, queued again by recovery.
    const { invoice } = await engine.invoices.create({
      teamId: T,
      source: 'channel',
      slackFileId: 'F3',
      channelId: 'CJOB1',
      fileName: NAME,
      mimeType: 'application/pdf',
      bytes,
    });
    await engine.worker.enqueue(INTAKE_JOB, { teamId: T, fileId: 'F3', source: 'channel', channelId: 'CJOB1' }, { dedupeKey: intakeJobKey(T, 'F3') });
    await engine.worker.start();
    await engine.worker.idle();
    expect(await engine.invoices.byId(invoice.id)).toMatchObject({ status: 'extracted' });
    expect(fake.described).toBe(0); // the stored file is read: nothing fetched from Slack again
  }, 60_000);
});
