import { randomBytes } from 'node:crypto';
import { cyclicPageTree, deepNesting, entityBlowup, manyPages, pageFlateBomb, plainPdf, xmlInflateBomb } from './hostile.ts';
import { CHANNEL, TEAM, USER, until, type World } from './world.ts';

/**
 * Hostile files shared in the channel of the running app: bombs, non-files, lying sizes, links to other hosts and
 * redirects there. Counts the app's crashes (the process exited) and the main thread's longest stall while they are
 * read (the app's own /healthz eventLoop.maxDelayMs, reset before the first file). Each file must end with a card.
 */

interface Hostile {
  name: string;
  make: (world: World, fullSize: boolean) => Promise<{ bytes: Buffer; mimetype?: string; claimedSize?: number; downloadUrl?: string }>;
}

export const HOSTILE: Hostile[] = [
  { name: 'xml-inflate-bomb', make: async (_w, full) => ({ bytes: await xmlInflateBomb(full ? 400 : 40) }) },
  { name: 'page-flate-bomb', make: async (_w, full) => ({ bytes: await pageFlateBomb(full ? 300 : 30) }) },
  { name: 'deep-nesting', make: async () => ({ bytes: deepNesting(100_000) }) },
  { name: 'ten-thousand-pages', make: async () => ({ bytes: manyPages(10_000) }) },
  { name: 'cyclic-page-tree', make: async () => ({ bytes: cyclicPageTree() }) },
  { name: 'entity-blowup', make: async () => ({ bytes: await entityBlowup() }) },
  { name: 'non-file', make: async () => ({ bytes: randomBytes(4096), mimetype: 'application/pdf' }) },
  { name: 'empty-file', make: async () => ({ bytes: Buffer.alloc(0) }) },
  {
    name: 'html-as-pdf',
    make: async () => ({ bytes: Buffer.from('<!doctype html><html><body>Sign in</body></html>') }),
  },
  {
    name: 'lying-size',
    // files.info says 2 KB; the download is larger than MAX_FILE_BYTES (20 MB).
    make: async () => ({
      bytes: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(21 << 20, 0x20)]),
      claimedSize: 2048,
    }),
  },
  {
    name: 'off-host-url',
    make: async () => ({
      bytes: await plainPdf('Elsewhere Inc. Total 5.00'),
      downloadUrl: 'https://files.example.com/steal/invoice.pdf',
    }),
  },
  {
    name: 'redirect-off-host',
    make: async (w) => ({
      bytes: await plainPdf('Redirect Inc. Total 5.00'),
      downloadUrl: `${w.slack.url}/redirect?to=${encodeURIComponent('http://127.0.0.1:9/token-catcher')}`,
    }),
  },
];

async function stallMs(world: World, reset: boolean): Promise<number | null> {
  try {
    const res = await fetch(`${world.app!.url}/healthz${reset ? '?reset=1' : ''}`, {
      signal: AbortSignal.timeout(120_000),
    });
    const body = (await res.json()) as { eventLoop?: { maxDelayMs?: number } };
    return body.eventLoop?.maxDelayMs ?? null;
  } catch {
    return null;
  }
}

export async function runHostileFiles(world: World, o: { which: 'all' | 'none' | string[]; fullSize: boolean; log: (s: string) => void }) {
  const list = o.which === 'all' ? HOSTILE : o.which === 'none' ? [] : HOSTILE.filter((h) => (o.which as string[]).includes(h.name));
  const notes: string[] = [];
  let crashes = 0;
  let maxStall: number | null = null;
  if (!list.length) return { files: 0, crashes, maxStallMs: maxStall, notes };
  if (!world.app) await world.start();
  await stallMs(world, true);
  for (const h of list) {
    const f = await h.make(world, o.fullSize);
    const file = world.slack.addFile(TEAM.id, {
      name: `${h.name}.pdf`,
      mimetype: f.mimetype ?? 'application/pdf',
      bytes: f.bytes,
      user: USER,
      claimedSize: f.claimedSize,
      downloadUrl: f.downloadUrl,
    });
    const started = Date.now();
    let gone = false;
    void world.app!.exited.then(() => (gone = true));
    const shared = await world.driver.shareFile({ teamId: TEAM.id, userId: USER, channelId: CHANNEL, file }).catch(() => null);
    // Done once its card is up and the file is no longer being read (a "Reading…" card comes first).
    const read = () => world.rows().find((r) => r.slack_file_id === file.id)?.status !== 'received' && world.card(shared!.message.ts);
    const card = shared ? await until(() => gone || read(), 180_000, 100) : null;
    const s = gone ? null : await stallMs(world, true);
    if (s !== null) maxStall = Math.max(maxStall ?? 0, s);
    const row = world.rows().find((r) => r.slack_file_id === file.id);
    o.log(
      `hostile ${h.name} (${f.bytes.length} bytes): ${gone ? 'CRASHED the app' : card ? 'card posted' : 'no card'} in ${Date.now() - started} ms, stall ${s} ms, ${row ? `${row.status}${row.extraction_error ? `:${row.extraction_error}` : ''}` : 'no invoice'}`,
    );
    notes.push(
      `hostile ${h.name}: ${gone ? 'crashed the app' : card ? `${row?.status ?? '?'}${row?.extraction_error ? `:${row.extraction_error}` : ''}` : 'no card within 3 minutes'}, stall ${s ?? '?'} ms`,
    );
    if (gone) {
      crashes++;
      world.app = null;
      await world.start();
      await stallMs(world, true);
    }
  }
  return { files: list.length, crashes, maxStallMs: maxStall, notes };
}
