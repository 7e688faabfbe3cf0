import { expect } from 'vitest';
import type { SlackView } from '../../emulators/slack/index.ts';
import { waitFor, type Stack } from '../harness.ts';

/** Helpers for the settings end-to-end tests: what an admin sees and clicks, over real HTTP. */

/** Every text a person can read in a view (sections, contexts, labels, buttons, hints), one string. */
export function textOf(v: { blocks?: any[] } | undefined): string {
  const out: string[] = [];
  const walk = (x: any) => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    if ((x.type === 'plain_text' || x.type === 'mrkdwn') && typeof x.text === 'string') out.push(x.text);
    for (const [k, val] of Object.entries(x)) if (k !== 'url') walk(val);
  };
  walk(v?.blocks ?? []);
  return out.join('\n');
}

export function buttonsOf(v: { blocks?: any[] } | undefined): any[] {
  const out: any[] = [];
  for (const b of v?.blocks ?? []) {
    if (b.type === 'actions') out.push(...b.elements.filter((e: any) => e.type === 'button'));
    if (b.accessory?.type === 'button') out.push(b.accessory);
  }
  return out;
}

export function button(v: { blocks?: any[] } | undefined, actionId: string): any {
  const b = buttonsOf(v).find((x) => x.action_id === actionId);
  if (!b)
    throw new Error(
      `no button ${actionId}; buttons: ${buttonsOf(v)
        .map((x) => x.action_id)
        .join(', ')}`,
    );
  return b;
}

export function topModal(stack: Stack, teamId: string, userId: string): SlackView | undefined {
  return stack.slack.openModalStack(teamId, userId).at(-1);
}

const updates = (stack: Stack, teamId: string) => stack.slack.calls.filter((c) => c.teamId === teamId && c.method === 'views.update' && c.ok).length;

/** Waits until the app has updated views `n` more times in `teamId` than `before` (its work after the ack). */
export async function waitForUpdates(stack: Stack, teamId: string, before: number, n = 1) {
  await waitFor(() => updates(stack, teamId) >= before + n, `${n} views.update call(s)`);
}

/** `/qbo settings` as `userId`; resolves with the modal once the app has updated it (after the QBO refresh). */
export async function openSettings(stack: Stack, teamId: string, userId: string): Promise<SlackView> {
  const before = updates(stack, teamId);
  const r = await stack.driver.command({ teamId, userId, command: '/qbo', text: 'settings' });
  expect(r.status).toBe(200);
  await waitForUpdates(stack, teamId, before);
  const v = topModal(stack, teamId, userId);
  expect(v?.callback_id).toBe('settings_modal');
  return stack.slack.view(v!.id)!;
}

/** The `name=value` pairs a browser would send back from a response's Set-Cookie headers (attributes dropped). */
export function cookiesFrom(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** /qbo/connect → Intuit consent (auto-approved): the callback URL and the cookie the browser holds by then. */
export async function startConsentIn(connectUrl: string): Promise<{ callbackUrl: string; cookie: string }> {
  const toIntuit = await fetch(connectUrl, { redirect: 'manual' });
  expect(toIntuit.status).toBe(302);
  const cookie = cookiesFrom(toIntuit);
  const consent = await fetch(toIntuit.headers.get('location')!, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  return { callbackUrl: consent.headers.get('location')!, cookie };
}

/** Follows the Connect QuickBooks button like a browser: /qbo/connect → Intuit consent (auto-approved) → /qbo/callback, with its cookies. */
export async function followConnect(connectUrl: string): Promise<{ callbackUrl: string; status: number; html: string }> {
  const { callbackUrl, cookie } = await startConsentIn(connectUrl);
  const page = await fetch(callbackUrl, { headers: { cookie } });
  return { callbackUrl, status: page.status, html: await page.text() };
}

/** The whole connect flow for an admin; resolves when the modal shows the company. */
export async function connectQbo(stack: Stack, teamId: string, userId: string) {
  const view = await openSettings(stack, teamId, userId);
  const url = button(view, 'settings_connect').url as string;
  const result = await followConnect(url);
  expect(result.status).toBe(200);
  await waitFor(() => textOf(stack.slack.view(view.id)).includes('connected to'), 'settings modal shows the connection');
  await waitFor(async () => (await stack.app.engine.lists.count(teamId, 'Account')) > 0, 'QBO lists cached');
  return { view: stack.slack.view(view.id)!, ...result };
}

/** A signed interaction payload the driver would refuse to build (e.g. a non-admin acting on an admin's view). */
export async function forge(stack: Stack, payload: Record<string, any>) {
  const res = await stack.driver.signedPost(
    '/slack/events',
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* plain text */
  }
  return { status: res.status, body };
}

/** A view as Slack would put it in a payload (no fake bookkeeping), with state values. */
export function payloadView(v: SlackView, values: Record<string, Record<string, any>> = {}) {
  const { user: _u, ...rest } = v;
  return { ...structuredClone(rest), state: { values } };
}

export function userPart(teamId: string, userId: string) {
  return {
    user: { id: userId, username: userId, name: userId, team_id: teamId },
    team: { id: teamId, domain: 'x' },
    api_app_id: 'A0FAKEAPP',
    token: 'fakeVerificationToken0000',
  };
}

/** Calls the Slack fake rejected (invalid Block Kit, unknown ids, late acks …). */
export function rejectedCalls(stack: Stack) {
  return stack.slack.rejected();
}
