// Fuzzing the Slack endpoint from outside: mutated, correctly signed payloads (commands, block_actions,
// view_submission, block_suggestion, events) across two workspaces, plus garbage on the OAuth routes. Counts 5xx
// answers (and dropped connections) and changes to protected state made by people who may not make them.
//
//   const r = await runFuzz({ baseUrl, driver, cases: 1000, seed: 1, databasePath }); // or snapshot: () => protectedState(db)
//   // → { fuzzCases, fuzzServerErrors, fuzzForbiddenChanges, … }
//
// Phase 1: admins' payloads (only 5xx counted: admins may change settings). Phase 2: non-admins, and admins of one
// workspace claiming the other; `snapshot()` (what nobody in phase 2 may change) is compared before and after.
import { basePayload, mutate, pick, rng, type Actor, type FuzzTeam, type Rng } from './fuzz-payloads.ts';

export type { FuzzTeam } from './fuzz-payloads.ts';
import { protectedState, type SqliteReader } from './fuzz-state.ts';

export { protectedState };

export interface SignedPoster {
  signedPost(path: string, body: string, contentType: string, headers?: Record<string, string>): Promise<Response>;
}

export interface FuzzOptions {
  /** The app's base URL (its /qbo/connect, /qbo/callback and /healthz are fuzzed too). */
  baseUrl: string;
  /** Signs requests with the app's signing secret (emulators/slack/driver.ts). */
  driver: SignedPoster;
  cases: number;
  seed: number;
  /** Two workspaces and who is who in them; defaults to the test harness's TEAM_A / TEAM_B. */
  teams?: FuzzTeam[];
  /** Invoice ids to aim button values at. */
  invoiceIds?: number[];
  /** What no non-admin may change (settings, connections, links, payments…); without it no change can be seen. */
  snapshot?: () => unknown | Promise<unknown>;
  /** The app's SQLite file: when no snapshot is given, protectedState() is read from it (read-only). */
  databasePath?: string;
  /** Waits until the app finished what the acked requests started (worker, notifications). */
  settle?: () => Promise<void>;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
}

export interface FuzzFailure {
  kind: string;
  status: number;
  detail: string;
}

export interface FuzzResult {
  fuzzCases: number;
  fuzzServerErrors: number;
  fuzzForbiddenChanges: number;
  /** Whether forbidden changes could be looked for at all (a snapshot was given). */
  forbiddenChecked: boolean;
  /** Up to 20 samples of what answered 5xx or changed something, to reproduce. */
  failures: FuzzFailure[];
}

export const DEFAULT_TEAMS: FuzzTeam[] = [
  { id: 'T0A', admins: ['UADMIN', 'UOWNER'], members: ['UFOREMAN', 'UPM'], channels: ['CJOB1', 'CJOB2', 'CGEN'] },
  { id: 'T0B', admins: ['UBADMIN'], members: ['UBUSER'], channels: ['CBJOB'] },
];

function actorFor(r: Rng, teams: FuzzTeam[], privileged: boolean): Actor {
  const team = pick(r, teams);
  if (privileged) return { team, claimedTeam: team.id, user: pick(r, team.admins), admin: true };
  const other = teams.find((t) => t !== team) ?? team;
  // A member of the team, a stranger, or another workspace's admin claiming this team.
  const roll = r();
  if (roll < 0.6) return { team, claimedTeam: team.id, user: pick(r, team.members), admin: false };
  if (roll < 0.8)
    return {
      team,
      claimedTeam: team.id,
      user: pick(r, ['UEVIL', 'W0STRANGER', '', 'U' + '9'.repeat(30)]),
      admin: false,
    };
  return { team, claimedTeam: team.id, user: pick(r, other.admins), admin: false };
}

/** Encodes a (possibly mutated) payload, sometimes breaking the envelope itself. */
function encode(r: Rng, p: { body: unknown; form: boolean }): { body: string; contentType: string } {
  const roll = r();
  if (p.body === null || typeof p.body !== 'object') {
    // A mutation replaced the whole envelope: send it as it is.
    const raw = JSON.stringify(p.body) ?? '';
    return p.form
      ? { body: `payload=${encodeURIComponent(raw)}`, contentType: 'application/x-www-form-urlencoded' }
      : { body: raw, contentType: 'application/json' };
  }
  if (p.form) {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.body as Record<string, unknown>)) fields[k] = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
    if (roll < 0.04) fields.payload = '{"type":"block_actions",'; // cut short
    if (roll >= 0.04 && roll < 0.07) return { body: JSON.stringify(p.body), contentType: 'application/x-www-form-urlencoded' };
    if (roll >= 0.07 && roll < 0.09) return { body: new URLSearchParams(fields).toString(), contentType: 'application/json' };
    return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if (roll < 0.04) return { body: '{"type":"event_callback","event":', contentType: 'application/json' };
  if (roll < 0.07) return { body: 'payload=%7B', contentType: 'application/json' };
  return { body: JSON.stringify(p.body), contentType: 'application/json' };
}

/** A request ready to send: built from the seed alone, so the same seed sends the same requests. */
interface PreparedCase {
  kind: string;
  get?: { path: string; cookie?: string };
  post?: { body: string; contentType: string; headers: Record<string, string> };
}

function oauthRouteCase(r: Rng): PreparedCase {
  const junk = () =>
    encodeURIComponent(String(pick(r, ['', 'x', 'a.b', 'a.b.c', '%%', 'x'.repeat(3000), 'eyJrIjoicWJvX2Nvbm5lY3QifQ.AAAA', 'link:abc']) ?? ''));
  const path = pick(r, [
    `/qbo/connect?t=${junk()}`,
    '/qbo/connect',
    `/qbo/callback?state=${junk()}&code=${junk()}&realmId=${junk()}`,
    `/qbo/callback?error=access_denied&state=${junk()}`,
    `/qbo/callback?state=${junk()}&realmId=9341453050160001&code=AB11x`,
    '/healthz',
  ]);
  return {
    kind: `GET ${path.split('?')[0]}`,
    get: { path, ...(r() < 0.5 ? { cookie: `qbo_connect_nonce=${junk()}` } : {}) },
  };
}

function prepare(r: Rng, o: FuzzOptions, teams: FuzzTeam[], privileged: boolean): PreparedCase {
  if (r() < 0.05) return oauthRouteCase(r);
  const actor = actorFor(r, teams, privileged);
  const p = basePayload(r, actor, o.invoiceIds ?? [1, 2, 3]);
  const inner =
    p.form && p.body.payload !== undefined
      ? { ...p, body: { payload: mutateTimes(r, p.body.payload) } }
      : { ...p, body: mutateTimes(r, p.body) as Record<string, unknown> };
  const { body, contentType } = encode(r, inner);
  const headers: Record<string, string> =
    r() < 0.05 ? { 'x-slack-retry-num': String(pick(r, [1, 2, -1, 'x'])), 'x-slack-retry-reason': 'http_timeout' } : {};
  return { kind: p.kind, post: { body, contentType, headers } };
}

async function send(o: FuzzOptions, c: PreparedCase): Promise<{ status: number; sample: string }> {
  if (c.get) {
    const res = await fetch(`${o.baseUrl}${c.get.path}`, {
      redirect: 'manual',
      headers: c.get.cookie ? { cookie: c.get.cookie } : {},
    });
    await res.arrayBuffer();
    return { status: res.status, sample: c.get.path.slice(0, 300) };
  }
  const p = c.post!;
  const res = await o.driver.signedPost('/slack/events', p.body, p.contentType, p.headers);
  await res.arrayBuffer();
  return { status: res.status, sample: p.body.slice(0, Number(process.env.FUZZ_SAMPLE ?? 300)) };
}

function mutateTimes(r: Rng, v: unknown): unknown {
  let out = structuredClone(v);
  const n = Math.floor(r() * 4); // 0–3 mutations: some cases stay well-formed
  for (let i = 0; i < n; i++) out = mutate(r, out);
  return out;
}

/** The paths where two snapshots differ (each changed leaf once). */
function diffPaths(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => diffPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`));
  }
  return [`${at}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`];
}

/** The requests a run with this seed sends, in order (without sending them): for reproducing a failure. */
export function previewCases(o: Pick<FuzzOptions, 'seed' | 'cases' | 'teams' | 'invoiceIds'>): Array<{ kind: string; request: string }> {
  const teams = o.teams ?? DEFAULT_TEAMS;
  const r = rng(o.seed);
  const privileged = Math.round(o.cases * 0.3);
  const full = { ...o, baseUrl: '', driver: { signedPost: async () => new Response() } } as FuzzOptions;
  return Array.from({ length: o.cases }, (_, i) => prepare(r, full, teams, i < privileged)).map((c) => ({
    kind: c.kind,
    request: c.get ? `GET ${c.get.path}` : `POST ${c.post!.contentType} ${c.post!.body}`,
  }));
}

/** Runs `cases` fuzz cases (≈30% as admins, the rest as people who may change nothing protected). */
export async function runFuzz(o: FuzzOptions): Promise<FuzzResult> {
  let opened: (SqliteReader & { close(): void }) | null = null;
  if (!o.snapshot && o.databasePath) {
    const { default: Database } = await import('better-sqlite3');
    opened = new Database(o.databasePath, { readonly: true, fileMustExist: true });
  }
  const db = opened;
  try {
    return await fuzzRun(db ? { ...o, snapshot: () => protectedState(db) } : o);
  } finally {
    opened?.close();
  }
}

async function fuzzRun(o: FuzzOptions): Promise<FuzzResult> {
  const teams = o.teams ?? DEFAULT_TEAMS;
  const r = rng(o.seed);
  const failures: FuzzFailure[] = [];
  let serverErrors = 0;
  const record = (kind: string, status: number, detail: string) => {
    if (failures.length < 20) failures.push({ kind, status, detail });
  };
  // Several in flight at once, as Slack sends them (a request nobody acks waits Bolt's 3 s).
  const run = async (privileged: boolean, n: number) => {
    const cases = Array.from({ length: n }, () => prepare(r, o, teams, privileged));
    let next = 0;
    const lane = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        try {
          const res = await send(o, c);
          if (res.status >= 500) {
            serverErrors++;
            record(c.kind, res.status, res.sample);
          }
        } catch (err) {
          serverErrors++; // no answer at all: a dropped connection or a dead process
          record(c.kind, 0, String((err as Error)?.message ?? err));
        }
      }
    };
    await Promise.all(Array.from({ length: o.concurrency ?? 8 }, lane));
  };
  const privileged = Math.round(o.cases * 0.3);
  await run(true, privileged);
  await o.settle?.();
  const before = o.snapshot ? await o.snapshot() : null;
  await run(false, o.cases - privileged);
  await o.settle?.();
  const after = o.snapshot ? await o.snapshot() : null;
  const changed = o.snapshot ? diffPaths(before, after) : [];
  for (const c of changed) record('forbidden change', 0, c.slice(0, 500));
  const alive = await fetch(`${o.baseUrl}/healthz`).then(
    (res) => res.status < 500,
    () => false,
  );
  if (!alive) {
    serverErrors++;
    record('healthz', 0, 'the app stopped answering');
  }
  return {
    fuzzCases: o.cases,
    fuzzServerErrors: serverErrors,
    fuzzForbiddenChanges: changed.length,
    forbiddenChecked: !!o.snapshot,
    failures,
  };
}
