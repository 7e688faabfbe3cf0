import { readFileSync } from 'node:fs';
import { onePageObjects, pdfFromObjects } from '../../src/invoices/warmup.ts';
import { join } from 'node:path';
import { expect } from 'vitest';
import { addProfile, bindChannel, type Profile } from '../../src/workspace/profiles.ts';
import type { Engine } from '../../src/engine.ts';
import { notificationsIdle } from '../../src/slack/notify.ts';
import { TEAM_A, waitFor, type Stack } from '../harness.ts';
import type { PostedMessage, SlackView } from '../../emulators/slack/index.ts';

/** Helpers for the intake e2e tests: QBO connected through the core (no settings UI), workspace set up, files shared. */

export const FIXTURES = join(import.meta.dirname, '../fixtures/invoices');
export const fixture = (name: string) => readFileSync(join(FIXTURES, name));
export const T = TEAM_A.id;

export async function byName(engine: Engine, entity: 'Account' | 'Customer' | 'Item' | 'Vendor', name: string, teamId = T) {
  const hit = (await engine.lists.search(teamId, entity, name, { includeInactive: true, limit: 100 })).find(
    (r) => r.name === name || r.fullName === name,
  );
  if (!hit) throw new Error(`${entity} "${name}" not in the seeded company`);
  return hit;
}

/** The emulator's OAuth round trip, then the connection saved and the lists cached, as the settings flow would. */
export async function connectQbo(stack: Stack, teamId = T): Promise<string> {
  const { engine } = stack.app;
  const consent = await fetch(engine.oauth.authorizeUrl('state-intake'), { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`authorize answered ${consent.status}`);
  const tokens = await engine.oauth.exchangeCode(location);
  await engine.connections.save(teamId, tokens.realmId, tokens, { connectedBy: 'UADMIN', companyName: 'Keystone Builders LLC' });
  await engine.lists.refresh(teamId);
  return tokens.realmId;
}

export interface Workspace {
  realmId: string;
  checking: Awaited<ReturnType<typeof byName>>;
  visa: Awaited<ReturnType<typeof byName>>;
  customer: Awaited<ReturnType<typeof byName>>;
  item: Awaited<ReturnType<typeof byName>>;
  project: Profile;
  costCode: Profile;
}

/** Connected, defaults set (Operating Checking, Bill, Job Materials), project "Oak Street" bound to CJOB1, a cost code. */
export async function setUpWorkspace(
  stack: Stack,
  o: { autoSync?: boolean; linkProject?: boolean; defaultAccount?: boolean } = {},
): Promise<Workspace> {
  const realmId = await connectQbo(stack);
  const { engine } = stack.app;
  const checking = await byName(engine, 'Account', 'Operating Checking');
  const visa = await byName(engine, 'Account', 'Visa Business');
  const materials = await byName(engine, 'Account', 'Job Materials');
  await engine.store.workspaces.updateSettings(
    T,
    {
      autoSync: o.autoSync ?? true,
      defaultPurchaseAccountId: o.defaultAccount === false ? null : checking.id,
      defaultExpenseAccountId: materials.id,
      defaultType: 'Bill',
    },
    'UADMIN',
  );
  const customer = (await engine.lists.search(T, 'Customer', 'Kitchen Remodel', { types: ['Project'], limit: 1 }))[0];
  const item = await byName(engine, 'Item', '03-300 Concrete');
  const project = await addProfile(
    engine.store,
    T,
    'project',
    'Oak Street',
    o.linkProject === false ? undefined : { entity: 'Customer', id: customer.id, name: customer.fullName },
  );
  const costCode = await addProfile(engine.store, T, 'cost_code', 'Concrete', { entity: 'Item', id: item.id, name: item.fullName });
  await bindChannel(engine.store, T, 'CJOB1', project.id, 'UADMIN');
  return { realmId, checking, visa, customer, item, project, costCode };
}

/** A person shares a file in a channel; resolves once the app's card in the thread shows what it read. */
export async function share(
  stack: Stack,
  name: string,
  o: { bytes?: Buffer; mimetype?: string; channel?: string; user?: string; timeoutMs?: number } = {},
) {
  const channel = o.channel ?? 'CJOB1';
  const user = o.user ?? 'UFOREMAN';
  const file = stack.slack.addFile(T, { name, mimetype: o.mimetype ?? 'application/pdf', bytes: o.bytes ?? fixture(name), user });
  const shared = await stack.driver.shareFile({ teamId: T, userId: user, channelId: channel, file });
  const card = await waitFor(() => threadCard(stack, channel, shared.message.ts), `thread card for ${name}`, o.timeoutMs ?? 60_000);
  return { file, message: shared.message, card, shared };
}

/** The card says the file is still being read ("Reading your photo…"). */
export const isReadingCard = (m: { blocks?: any[] }) => !!m.blocks?.some((b: any) => b.block_id === 'invoice_reading');

/** The app's card in a thread (the latest version of it), once it shows what was read (not "Reading your photo…"). */
export function threadCard(stack: Stack, channel: string, threadTs: string): PostedMessage | undefined {
  const card = stack.slack
    .messages(channel)
    .find(
      (m) => m.thread_ts === threadTs && m.author === TEAM_A.botUserId && !m.ephemeral && m.blocks?.some((b: any) => b.block_id === 'invoice_status'),
    );
  return card && !isReadingCard(card) ? card : undefined;
}

export function latest(stack: Stack, m: PostedMessage): PostedMessage {
  return stack.slack.messages(m.channel).find((x) => x.ts === m.ts) ?? m;
}

/** All the text a message shows (text + every mrkdwn/plain text in its blocks). */
export function textOf(m: { text?: string; blocks?: any[] } | undefined): string {
  if (!m) return '';
  const out: string[] = [m.text ?? ''];
  const walk = (x: any) => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    if ((x.type === 'mrkdwn' || x.type === 'plain_text') && typeof x.text === 'string') out.push(x.text);
    for (const v of Object.values(x)) if (typeof v === 'object') walk(v);
  };
  walk(m.blocks);
  return out.join('\n');
}

export function topModal(stack: Stack, user = 'UFOREMAN'): SlackView {
  const s = stack.slack.openModalStack(T, user);
  const v = s[s.length - 1];
  if (!v) throw new Error(`no modal open for ${user}`);
  return v;
}

/** Clicks "Review & sync" on a card and returns the modal it opened. */
export async function openReview(stack: Stack, card: PostedMessage, user = 'UFOREMAN'): Promise<SlackView> {
  await stack.driver.clickButton({ teamId: T, userId: user, where: latest(stack, card), actionId: 'invoice_review' });
  try {
    return await waitFor(() => stack.slack.openModalStack(T, user).find((v) => v.callback_id === 'review_submit'), 'review modal', 5000);
  } catch (err) {
    throw new Error(
      `${err}\nrejected: ${JSON.stringify(stack.slack.rejected(), null, 1).slice(0, 3000)}\nlogs: ${stack.logs.join('\n').slice(-3000)}`,
    );
  }
}

/** Waits until the worker and the Slack notifications are done. */
export async function settle(stack: Stack) {
  for (let i = 0; i < 3; i++) {
    await stack.app.engine.worker.idle();
    await notificationsIdle();
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function dmsTo(stack: Stack, user: string) {
  return stack.slack.dms(T, user).filter((m) => m.author === TEAM_A.botUserId);
}

/** Slack refused nothing the app sent. (users.list is not in the fake yet; AdminCheck.list falls back without it.) */
export function expectNothingRejected(stack: Stack) {
  const bad = stack.slack.rejected().filter((c) => !(c.method === 'users.list' && c.error === 'unknown_method'));
  expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
}

export async function invoiceOf(stack: Stack, id: number) {
  return (await stack.app.engine.invoices.byId(id))!;
}

export async function onlyInvoice(stack: Stack) {
  const all = await stack.app.engine.invoices.list(T);
  expect(all).toHaveLength(1);
  return all[0];
}

/** A minimal hand-written PDF. With `encrypted`, a Standard security handler whose user password is not empty. */
export function handmadePdf(o: { encrypted?: boolean; text?: string } = {}): Buffer {
  const objs = onePageObjects(o.text ? `BT /F1 18 Tf 72 720 Td (${o.text}) Tj ET` : '0 0 1 rg 72 72 100 100 re f');
  if (!o.encrypted) return pdfFromObjects(objs);
  const hex = (seed: number) => Array.from({ length: 32 }, (_, i) => ((i * 37 + seed) % 256).toString(16).padStart(2, '0')).join('');
  objs.push(`<< /Filter /Standard /V 1 /R 2 /O <${hex(11)}> /U <${hex(97)}> /P -44 >>`);
  const id = '<0123456789abcdef0123456789abcdef>';
  return pdfFromObjects(objs, `/Encrypt ${objs.length} 0 R /ID [${id} ${id}]`);
}
