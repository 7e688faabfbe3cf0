/**
 * `npm run demo`: the whole product, offline, for real. It starts the local QuickBooks + Intuit OAuth emulator,
 * the local Slack Web API fake and the real app (HTTP on a free loopback port, SQLite in a temporary folder), then
 * walks the story through the app's real HTTP interface with signed Slack requests, printing what people see.
 * Nothing is mocked inside the app: it talks to the stand-ins through Bolt's WebClient, node-quickbooks and
 * intuit-oauth, exactly as it talks to Slack and Intuit in production.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { notificationsIdle } from './slack/notify.ts';
import { money } from './slack/views/common.ts';
import { startStack, type Stack } from '../emulators/stack.ts';
import type { SlackView, PostedMessage } from '../emulators/slack/index.ts';

const INVOICE = 'us-lumber-cascade.pdf';
const INVOICE_PATH = fileURLToPath(new URL(`../test/fixtures/invoices/${INVOICE}`, import.meta.url));
const TEAM = 'T0DEMO';
const ADMIN = 'U0ALICE';
const FOREMAN = 'U0FRANK';
const JOB_CHANNEL = 'C0OAKST';
const STEPS = 9;

const started = Date.now();
const secs = () => ((Date.now() - started) / 1000).toFixed(1);
let stepNo = 0;
const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (title: string) => say(`\n[${secs().padStart(4)} s] ${++stepNo}/${STEPS}  ${title}`);
const show = (label: string, text: string) => say(`           ${label}${text ? `: ${text}` : ''}`);

/** Every text a person can read in blocks, one line. */
function readable(x: { text?: string; blocks?: any[] } | undefined): string {
  const out: string[] = [];
  const walk = (v: any) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    if ((v.type === 'mrkdwn' || v.type === 'plain_text') && typeof v.text === 'string') out.push(v.text);
    for (const [k, val] of Object.entries(v)) if (k !== 'text' || typeof val === 'object') walk(val);
  };
  walk(x?.blocks ?? []);
  const text = out.length ? out.join(' · ') : (x?.text ?? '');
  return text
    .replace(/<#(\w+)(\|[^>]*)?>/g, '#$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/[*`]/g, '')
    .trim();
}

function buttons(v: { blocks?: any[] } | undefined): any[] {
  const out: any[] = [];
  for (const b of v?.blocks ?? []) {
    if (b.type === 'actions') out.push(...b.elements.filter((e: any) => e.type === 'button'));
    if (b.accessory?.type === 'button') out.push(b.accessory);
  }
  return out;
}

async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The running stack and the Slack views the steps look at. */
function demoContext(stack: Stack) {
  const { app, driver, qbo, slack: fake } = stack;
  const modal = (user: string) => fake.openModalStack(TEAM, user).at(-1);
  const fresh = (v: SlackView) => fake.view(v.id) ?? v;
  const updatesSoFar = () => fake.callsTo('views.update').filter((c) => c.ok).length;
  return { stack, app, driver, qbo, fake, realm: qbo.defaultRealmId, modal, fresh, updatesSoFar };
}
type Demo = ReturnType<typeof demoContext>;

async function startDemo(): Promise<Stack> {
  step('Start QuickBooks (emulator), Slack (fake) and the app');
  const stack = await startStack({
    logLevel: 'info',
    teams: [
      {
        id: TEAM,
        name: 'Keystone Builders',
        domain: 'keystone',
        botToken: `xoxb-demo-${randomBytes(6).toString('hex')}`,
        botUserId: 'U0BOT',
        users: [
          { id: ADMIN, name: 'alice', is_admin: true },
          { id: FOREMAN, name: 'frank' },
        ],
        channels: [{ id: JOB_CHANNEL, name: 'job-oak-street' }],
      },
    ],
  });
  show('app', `${stack.app.url} (Slack at /slack/events, QuickBooks consent at /qbo/connect), SQLite in ${stack.dir}`);
  return stack;
}

async function connectQuickBooks(d: Demo): Promise<SlackView> {
  const { app, driver, fake, modal, fresh, updatesSoFar } = d;
  step('Alice (workspace admin) types /qbo settings');
  const before = updatesSoFar();
  const cmd = await driver.command({ teamId: TEAM, userId: ADMIN, command: '/qbo', text: 'settings' });
  if (cmd.status !== 200) throw new Error(`/qbo settings answered ${cmd.status}`);
  await waitFor(() => updatesSoFar() > before, 'the settings modal to load');
  let settings = fresh(modal(ADMIN)!);
  show('Slack shows', `"${settings.title?.text}" — ${readable({ blocks: settings.blocks.slice(0, 2) })}`);

  step('Alice clicks "Connect QuickBooks" and approves at Intuit');
  const connect = buttons(settings).find((b) => b.action_id === 'settings_connect');
  if (!connect?.url) throw new Error('no Connect QuickBooks button');
  const toIntuit = await fetch(connect.url, { redirect: 'manual' });
  // A browser keeps the nonce cookie /qbo/connect sets and sends it back with Intuit's redirect to /qbo/callback.
  const cookie = toIntuit.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const consent = await fetch(toIntuit.headers.get('location')!, { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location')!, { headers: { cookie } });
  const page = (await callback.text())
    .replace(/<(style|script|title)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  show('browser', `/qbo/connect → Intuit consent → /qbo/callback → "${page.slice(0, 90)}"`);
  await waitFor(() => readable(fresh(settings)).toLowerCase().includes('connected to'), 'the modal to show the company');
  await waitFor(async () => (await app.engine.lists.count(TEAM, 'Account')) > 0, 'QuickBooks lists to be cached');
  settings = fresh(settings);
  const dmConnected = await waitFor(() => fake.dms(TEAM, ADMIN).at(-1), 'the DM to Alice');
  show('DM to Alice', readable(dmConnected));

  return settings;
}

async function chooseDefaults(d: Demo, settings: SlackView): Promise<void> {
  const { driver, qbo, realm } = d;
  step('Alice turns Auto-sync on and picks the defaults');
  const accounts = await driver.suggest({
    teamId: TEAM,
    userId: ADMIN,
    view: settings,
    label: 'Default purchase account',
    query: '',
  });
  const all = qbo.entities(realm, 'Account').length;
  show('purchase accounts offered', `${accounts.options.map((o) => o.text).join(', ')} (of ${all} accounts in QuickBooks)`);
  const checking = accounts.options.find((o) => o.text.startsWith('Operating Checking'))!;
  const expense = (
    await driver.suggest({
      teamId: TEAM,
      userId: ADMIN,
      view: settings,
      label: 'Default expense account',
      query: 'job materials',
    })
  ).options[0];
  const saved = await driver.submitView({
    teamId: TEAM,
    userId: ADMIN,
    view: settings,
    values: {
      'Auto-sync': 'on',
      'Default purchase account': checking,
      'Default type': 'Bill',
      'Default expense account': expense,
    },
  });
  if (saved.errors) throw new Error(`settings refused: ${JSON.stringify(saved.errors)}`);
  show('saved', `Auto-sync on · default purchase account ${checking.text} · default type Bill · default expense account ${expense.text}`);
}

async function importLinks(d: Demo) {
  const { app, driver, modal, fresh, updatesSoFar } = d;
  step('Alice imports a project and a cost code from QuickBooks, linked in one step');
  const before = updatesSoFar();
  await driver.command({ teamId: TEAM, userId: ADMIN, command: '/qbo', text: 'settings' });
  await waitFor(() => updatesSoFar() > before, 'the settings modal to load');
  await driver.clickButton({
    teamId: TEAM,
    userId: ADMIN,
    where: fresh(modal(ADMIN)!),
    actionId: 'settings_open_links',
  });
  const links = await waitFor(() => (modal(ADMIN)?.callback_id === 'link_modal' ? modal(ADMIN) : undefined), 'the link modal');
  await driver.clickButton({ teamId: TEAM, userId: ADMIN, where: fresh(links), actionId: 'link_import' });
  const imp = await waitFor(() => (modal(ADMIN)?.callback_id === 'link_import_modal' ? modal(ADMIN) : undefined), 'the import modal');
  const project = (await driver.suggest({ teamId: TEAM, userId: ADMIN, view: imp, label: 'Projects', query: 'kitchen' })).options[0];
  const costCode = (await driver.suggest({ teamId: TEAM, userId: ADMIN, view: imp, label: 'Cost codes', query: 'concrete' })).options[0];
  await driver.submitView({
    teamId: TEAM,
    userId: ADMIN,
    view: fresh(imp),
    values: { Projects: [project.value], 'Cost codes': [costCode.value] },
  });
  const profiles = await waitFor(async () => {
    const all = await app.engine.store.profiles.list(TEAM);
    return all.length >= 2 ? all : undefined;
  }, 'the imported profiles');
  for (const p of profiles) show(p.kind === 'project' ? 'project' : 'cost code', `"${p.name}" → QuickBooks ${p.qboEntity} "${p.qboName}"`);
  const projectProfile = profiles.find((p) => p.kind === 'project')!;
  const costProfile = profiles.find((p) => p.kind === 'cost_code')!;

  return { projectProfile, costProfile };
}

async function bindChannel(d: Demo, projectProfile: { id: number; name: string }): Promise<void> {
  const { app, driver, modal, fresh } = d;
  step('Alice binds #job-oak-street to that project ("Channel = job")');
  await driver.clickButton({ teamId: TEAM, userId: ADMIN, where: fresh(modal(ADMIN)!), actionId: 'link_bind_channel' });
  const bind = await waitFor(() => (modal(ADMIN)?.callback_id === 'link_bind_modal' ? modal(ADMIN) : undefined), 'the bind modal');
  const bound = await driver.submitView({
    teamId: TEAM,
    userId: ADMIN,
    view: bind,
    values: { Channel: JOB_CHANNEL, Project: { value: String(projectProfile.id), text: projectProfile.name } },
  });
  if (bound.errors) throw new Error(`binding refused: ${JSON.stringify(bound.errors)}`);
  await waitFor(() => app.engine.store.profiles.channelProject(TEAM, JOB_CHANNEL), 'the channel binding');
  show('bound', `#job-oak-street → ${projectProfile.name}`);
}

async function shareInvoice(d: Demo) {
  const { driver, fake } = d;
  step(`Frank (foreman) shares ${INVOICE} in #job-oak-street`);
  const bytes = readFileSync(INVOICE_PATH);
  const file = fake.addFile(TEAM, { name: INVOICE, mimetype: 'application/pdf', bytes, user: FOREMAN });
  const shared = await driver.shareFile({ teamId: TEAM, userId: FOREMAN, channelId: JOB_CHANNEL, file });
  const cardOf = () =>
    fake
      .messages(JOB_CHANNEL)
      .find((m: PostedMessage) => m.thread_ts === shared.message.ts && m.blocks?.some((b: any) => b.block_id === 'invoice_status'));
  // The card says "Reading your file…" at once, then shows what was read.
  const card = await waitFor(() => {
    const c = cardOf();
    return c && !/Reading your/.test(readable(c)) ? c : undefined;
  }, 'the thread card with what was read');
  show('thread card', readable(card));

  return { bytes, card, cardOf };
}

async function reviewAndSubmit(d: Demo, card: PostedMessage, costProfile: { id: number; name: string }): Promise<void> {
  const { driver, fake } = d;
  step('Frank clicks "Review & sync", checks the fields and submits');
  await driver.clickButton({ teamId: TEAM, userId: FOREMAN, where: card, actionId: 'invoice_review' });
  const review = await waitFor(() => fake.openModalStack(TEAM, FOREMAN).find((v) => v.callback_id === 'review_submit'), 'the review modal');
  const prefilled = review.blocks
    .filter((b: any) => b.type === 'input')
    .map((b: any) => {
      const e = b.element;
      const v = e.initial_option?.text?.text ?? e.initial_value ?? e.initial_date ?? '—';
      return `${b.label.text}: ${v}`;
    });
  show('review modal', prefilled.join(' · '));
  const submitted = await driver.submitView({
    teamId: TEAM,
    userId: FOREMAN,
    view: review,
    values: { 'Cost code': { value: String(costProfile.id), text: costProfile.name } },
  });
  if (submitted.errors) throw new Error(`review refused: ${JSON.stringify(submitted.errors)}`);
  show('Slack shows', readable(submitted.body?.view ?? {}).slice(0, 160));
}

/** Checks the Bill, its attachment and the DM; true when the whole story holds. */
async function checkBill(d: Demo, bytes: Buffer, cardOf: () => PostedMessage | undefined): Promise<boolean> {
  const { app, qbo, fake, realm } = d;
  step('QuickBooks now holds the Bill; Frank gets a DM');
  for (let i = 0; i < 3; i++) {
    await app.engine.worker.idle();
    await notificationsIdle();
  }
  const bill = await waitFor(() => qbo!.entities(realm, 'Bill')[0], 'the Bill in QuickBooks');
  const att = qbo.entities(realm, 'Attachable').find((a) => a.AttachableRef?.[0]?.EntityRef?.value === bill.Id);
  const line = bill.Line[0];
  const detail = line.ItemBasedExpenseLineDetail ?? line.AccountBasedExpenseLineDetail;
  show(
    'QuickBooks Bill',
    `#${bill.Id} ${bill.DocNumber} · vendor ${bill.VendorRef.name} · ${money(Math.round(bill.TotalAmt * 100))} · dated ${bill.TxnDate}, due ${bill.DueDate} · project ${detail.CustomerRef?.name} · cost code ${detail.ItemRef?.name ?? detail.AccountRef?.name}`,
  );
  const sameBytes = !!att && Buffer.compare(att._bytes, bytes) === 0;
  show(
    'attachment',
    att ? `${att.FileName} (${att.Size} bytes, ${sameBytes ? 'identical to the shared PDF' : 'DIFFERENT from the shared PDF'})` : 'MISSING',
  );
  const dm = await waitFor(() => fake.dms(TEAM, FOREMAN).at(-1), 'the DM to Frank');
  const link = (dm.blocks ?? []).flatMap((b: any) => [...(b.elements ?? []), b.accessory].filter(Boolean)).find((e: any) => e.url)?.url;
  show('DM to Frank', readable(dm));
  show('link in the DM', link ?? 'none');
  show('thread card now', readable(cardOf()));

  const [inv] = await app.engine.invoices.list(TEAM, { limit: 1 });
  const ok = inv?.status === 'synced' && sameBytes && !!link && Math.round(bill.TotalAmt * 100) === inv.amountCents && fake.rejected().length === 0;
  const summary = `${INVOICE} → Bill ${bill.DocNumber} for ${money(Math.round(bill.TotalAmt * 100))} in QuickBooks, PDF attached, DM sent`;
  say(
    `\n${ok ? '✔' : '✘'} Demo ${ok ? 'finished' : 'FAILED'} in ${secs()} s: ${summary}${fake.rejected().length ? ` (Slack rejected ${fake.rejected().length} calls)` : ''}`,
  );
  return ok;
}

async function main() {
  let stack: Stack | undefined;
  try {
    say('QuickBooks Invoices for Slack — offline demo (local QuickBooks emulator + Slack fake + the real app)');
    stack = await startDemo();
    const d = demoContext(stack);
    const settings = await connectQuickBooks(d);
    await chooseDefaults(d, settings);
    const { projectProfile, costProfile } = await importLinks(d);
    await bindChannel(d, projectProfile);
    const { bytes, card, cardOf } = await shareInvoice(d);
    await reviewAndSubmit(d, card, costProfile);
    if (!(await checkBill(d, bytes, cardOf))) process.exitCode = 1;
  } catch (err) {
    say(`\n✘ Demo failed at step ${stepNo}: ${err instanceof Error ? err.message : err}`);
    const errors = stack?.logs.filter((l) => /"level":"(warn|error)"/.test(l)).slice(-10) ?? [];
    if (errors.length) say(`Last warnings from the app:\n${errors.join('\n')}`);
    if (stack?.slack.rejected().length) say(`Slack rejected: ${JSON.stringify(stack.slack.rejected().slice(-3), null, 1)}`);
    process.exitCode = 1;
  } finally {
    await stack?.stop();
  }
}

await main();
