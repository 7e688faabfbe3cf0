import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, TEAM_A, TEAM_B, type Stack } from '../harness.ts';
import { invoices, processedEvents, settings, workspaces } from '../../src/store/sqlite/schema.ts';
import { forge, userPart } from './settings-helpers.ts';

/**
 * What the Slack endpoint accepts at all (issue 11.8): in single-workspace mode only the installed team; no request
 * timestamped more than a minute ahead; an event delivery handled once however often Slack sends it.
 */

let stack: Stack;
const B = TEAM_B.id;
const rowsFor = (teamId: string) => {
  const db = stack.app.engine.conn.db;
  return {
    workspaces: db
      .select()
      .from(workspaces)
      .all()
      .filter((w) => w.teamId === teamId).length,
    settings: db
      .select()
      .from(settings)
      .all()
      .filter((s) => s.teamId === teamId).length,
    invoices: db
      .select()
      .from(invoices)
      .all()
      .filter((i) => i.teamId === teamId).length,
  };
};
const appCalls = () => stack.slack.calls.filter((c) => !['auth.test'].includes(c.method)).length;

beforeAll(async () => {
  // The fake knows both workspaces; the app runs with team A's bot token (SLACK_BOT_TOKEN): single-workspace mode.
  stack = await startStack({ teams: [TEAM_A, TEAM_B] });
});
afterAll(async () => {
  await stack?.stop();
});

describe('single-workspace mode', () => {
  it('requests from another team are acked and ignored: no rows, no Slack calls', async () => {
    const calls = appCalls();
    const cmd = await stack.driver.command({ teamId: B, userId: 'UBADMIN', command: '/qbo', text: 'settings' });
    expect(cmd.status).toBe(200);
    const status = await stack.driver.command({ teamId: B, userId: 'UBUSER', command: '/qbo', text: 'status' });
    expect(status.status).toBe(200);
    const home = await stack.driver.appHomeOpened({ teamId: B, userId: 'UBUSER' });
    expect(home.status).toBe(200);
    const file = stack.slack.addFile(B, { name: 'b.pdf', mimetype: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF'), user: 'UBUSER' });
    const shared = await stack.driver.shareFile({ teamId: B, userId: 'UBUSER', channelId: 'CBJOB', file });
    expect([shared.fileShared.status, shared.messageEvent.status]).toEqual([200, 200]);
    const click = await forge(stack, {
      type: 'block_actions',
      ...userPart(B, 'UBADMIN'),
      trigger_id: stack.slack.issueTriggerId(B, 'UBADMIN'),
      actions: [{ action_id: 'home_open_settings', block_id: 'home_admin', type: 'button', value: 'settings', action_ts: '1' }],
    });
    expect(click.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(rowsFor(B)).toEqual({ workspaces: 0, settings: 0, invoices: 0 });
    expect(appCalls()).toBe(calls);
  });

  it('the installed team is still served', async () => {
    const r = await stack.driver.command({ teamId: TEAM_A.id, userId: 'UPM', command: '/qbo', text: 'status' });
    expect(r.status).toBe(200);
    await waitFor(() => stack.slack.messages().find((m) => m.user === 'UPM' && /QuickBooks: not connected/.test(m.text ?? '')), 'status answer');
  });
});

describe('request timestamps', () => {
  const body = () => new URLSearchParams({ command: '/qbo', text: 'status', team_id: TEAM_A.id, user_id: 'UPM', trigger_id: 'x' }).toString();
  const at = (offsetS: number) => ({ 'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000) + offsetS) });

  it('a button no listener knows (a stale message) is acked at once, not left to time out', async () => {
    const res = await forge(stack, {
      type: 'block_actions',
      team: { id: TEAM_A.id },
      user: { id: 'UPM', team_id: TEAM_A.id },
      trigger_id: 'trig-stale',
      actions: [{ type: 'button', action_id: 'gone_from_this_version', block_id: 'b1', value: 'x', action_ts: '1.0' }],
    });
    expect(res.status).toBe(200); // unacked, Bolt would answer 404 after its 3 s timeout
  });

  it('a request signed more than a minute in the future is refused (401)', async () => {
    for (const ahead of [90, 3600, 10 ** 9]) {
      const r = await stack.driver.signedPost('/slack/events', body(), 'application/x-www-form-urlencoded', at(ahead));
      expect(r.status).toBe(401);
    }
  });

  it('a small clock skew ahead is still accepted', async () => {
    const r = await stack.driver.signedPost('/slack/events', body(), 'application/x-www-form-urlencoded', at(30));
    expect(r.status).toBe(200);
  });
});

describe('bodies Bolt cannot take', () => {
  it('a signed body or payload that is null, a number or an array gets 400 at once, and the app stays up', async () => {
    const cases: Array<[string, string]> = [
      ['null', 'application/json'],
      ['[]', 'application/json'],
      ['5', 'application/json'],
      ['payload=null', 'application/x-www-form-urlencoded'],
      ['payload=%5B1%5D', 'application/x-www-form-urlencoded'],
      ['payload=%22x%22', 'application/x-www-form-urlencoded'],
    ];
    for (const [body, type] of cases) {
      const started = Date.now();
      const r = await stack.driver.signedPost('/slack/events', body, type);
      expect([body, r.status]).toEqual([body, 400]);
      expect(Date.now() - started).toBeLessThan(1000);
    }
    // Unsigned, it is still a 401; and the app answers.
    const unsigned = await stack.driver.signedPost('/slack/events', 'null', 'application/json', { 'X-Slack-Signature': `v0=${'0'.repeat(64)}` });
    expect(unsigned.status).toBe(401);
    expect((await fetch(`${stack.app.url}/healthz`)).status).toBe(200);
  });
});

describe('one parse of the body for the guard and Bolt', () => {
  const suggestion = {
    type: 'block_suggestion',
    user: { id: 'UPM', team_id: TEAM_A.id },
    team: { id: TEAM_A.id, domain: 'keystone' },
    api_app_id: 'A0FAKEAPP',
    action_id: 'review_vendor',
    block_id: 'review_vendor',
    value: 'Ho',
  };
  const form = `payload=${encodeURIComponent(JSON.stringify(suggestion))}`;

  it('a signed picker search is answered with its options', async () => {
    const r = await stack.driver.signedPost('/slack/events', form, 'application/x-www-form-urlencoded');
    expect(r.status).toBe(200);
    expect(await r.json()).toHaveProperty('options');
  });

  it('an unsigned ssl_check carrying a payload gets the ssl_check answer; the payload is never handled', async () => {
    const r = await stack.driver.signedPost('/slack/events', `ssl_check=1&${form}`, 'application/x-www-form-urlencoded', {
      'X-Slack-Signature': `v0=${'0'.repeat(64)}`,
    });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('');
  });
});

describe('envelopes Bolt would answer 500 to (found by fuzzing)', () => {
  const user = { id: 'UPM', username: 'UPM', name: 'UPM', team_id: TEAM_A.id };
  const team = { id: TEAM_A.id, domain: 'keystone' };
  const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const event = (patch: Record<string, unknown>) =>
    JSON.stringify({
      team_id: TEAM_A.id,
      api_app_id: 'A0FAKEAPP',
      type: 'event_callback',
      event_id: `EvX${Math.random()}`,
      event: { type: 'app_home_opened', user: 'UPM' },
      ...patch,
    });
  const cases: Array<[string, string, string]> = [
    ['event is a string', event({ event: 'T0B' }), 'application/json'],
    ['authorizations hold null', event({ authorizations: [null] }), 'application/json'],
    [
      'interaction without a user',
      form({ type: 'block_actions', team, actions: [{ action_id: 'x', block_id: 'b' }] }),
      'application/x-www-form-urlencoded',
    ],
    [
      'is_enterprise_install is a number',
      form({ type: 'block_actions', user, team, is_enterprise_install: 9007199254740991, actions: [{ action_id: 'x' }] }),
      'application/x-www-form-urlencoded',
    ],
    ['no actions at all', form({ type: 'block_actions', user, team, actions: [] }), 'application/x-www-form-urlencoded'],
    ['view_submission without a view', form({ type: 'view_submission', user, team, trigger_id: '1.2' }), 'application/x-www-form-urlencoded'],
    [
      'response_urls hold null',
      form({ type: 'view_submission', user, team, view: { id: 'V1', callback_id: 'review_submit', state: { values: {} } }, response_urls: [null] }),
      'application/x-www-form-urlencoded',
    ],
    ['a command field sent twice', 'command=%2Fqbo&command=%2Fqbo&text=status&team_id=T0A&user_id=UPM', 'application/x-www-form-urlencoded'],
  ];
  for (const [what, body, type] of cases) {
    it(`${what}: 400, not 500`, async () => {
      const r = await stack.driver.signedPost('/slack/events', body, type);
      expect(r.status).toBe(400);
    });
  }
});

describe('event deliveries', () => {
  it('a redelivered event (same event_id) is acked and handled once', async () => {
    const published = () => stack.slack.callsTo('views.publish').filter((c) => c.teamId === TEAM_A.id).length;
    const before = published();
    const event = { type: 'app_home_opened', user: 'UFOREMAN', channel: 'DFOREMAN', tab: 'home' };
    const first = await stack.driver.event({ teamId: TEAM_A.id, event, eventId: 'Ev0DEDUPE1' });
    expect(first.status).toBe(200);
    await waitFor(() => published() === before + 1, 'home published');
    const again = await stack.driver.event({ teamId: TEAM_A.id, event, eventId: 'Ev0DEDUPE1', retryNum: 1, retryReason: 'http_timeout' });
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(published()).toBe(before + 1);
    expect(
      stack.app.engine.conn.db
        .select()
        .from(processedEvents)
        .all()
        .map((e) => e.eventId),
    ).toContain('Ev0DEDUPE1');
    // Another event id is another delivery.
    await stack.driver.event({ teamId: TEAM_A.id, event, eventId: 'Ev0DEDUPE2' });
    await waitFor(() => published() === before + 2, 'second home published');
  });
});
