import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadSlackFile, isAllowedFileUrl } from '../../src/slack/files.ts';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, dmsTo, expectNothingRejected, fixture, onlyInvoice, settle, setUpWorkspace, textOf, topModal } from './intake-helpers.ts';

/** The safe download (host allow-list, Bearer only there, content checks, size limit) and `/qbo upload`. */

function serve(handler: (req: IncomingMessage, res: any) => void): Promise<{ server: Server; host: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen })),
  );
}

describe('downloadSlackFile', () => {
  const pdf = Buffer.from('%PDF-1.4\n%fake\n');
  let slack: Awaited<ReturnType<typeof serve>>;
  let evil: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    evil = await serve((_req, res) => res.end('stolen'));
    slack = await serve((req, res) => {
      if (req.url === '/ok') return res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
      if (req.url === '/redirect-out') return res.writeHead(302, { location: `http://${evil.host}/x` }).end();
      if (req.url === '/redirect-in') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/signin')
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body>Sign in</body></html>');
      if (req.url === '/big') return res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '5000' }).end(Buffer.alloc(5000));
      if (req.url === '/big-chunked') {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000));
        return res.end();
      }
      res.writeHead(404).end();
    });
  });
  afterAll(() => {
    slack.server.close();
    evil.server.close();
  });
  const opts = () => ({ botToken: 'xoxb-secret', allowedHosts: [slack.host], maxBytes: 4000 });

  it('downloads from an allowed host with the bot token', async () => {
    const r = await downloadSlackFile(`http://${slack.host}/ok`, opts());
    expect(r).toMatchObject({ ok: true, contentType: 'application/pdf' });
    expect(slack.seen.at(-1)!.headers.authorization).toBe('Bearer xoxb-secret');
  });
  it('never sends the token to another host, not even through a redirect', async () => {
    expect(await downloadSlackFile(`http://${evil.host}/x`, opts())).toMatchObject({ ok: false, reason: 'bad_host' });
    expect(await downloadSlackFile(`http://${slack.host}/redirect-out`, opts())).toMatchObject({ ok: false, reason: 'bad_host' });
    expect(evil.seen).toHaveLength(0);
    expect(await downloadSlackFile(`http://${slack.host}/redirect-in`, opts())).toMatchObject({ ok: true });
  });
  it('refuses the HTML sign-in page and files over the limit', async () => {
    expect(await downloadSlackFile(`http://${slack.host}/signin`, opts())).toMatchObject({ ok: false, reason: 'sign_in_page' });
    expect(await downloadSlackFile(`http://${slack.host}/big`, opts())).toMatchObject({ ok: false, reason: 'too_large' });
    expect(await downloadSlackFile(`http://${slack.host}/big-chunked`, opts())).toMatchObject({ ok: false, reason: 'too_large' });
  });
  it('allows https Slack hosts only (plain http on loopback for tests)', () => {
    expect(isAllowedFileUrl('https://files.slack.com/files-pri/T1-F1/download/a.pdf', ['files.slack.com'])).toBe(true);
    expect(isAllowedFileUrl('http://files.slack.com/a.pdf', ['files.slack.com'])).toBe(false);
    expect(isAllowedFileUrl('https://files.slack.com.evil.com/a.pdf', ['files.slack.com'])).toBe(false);
    expect(isAllowedFileUrl('https://user:pw@files.slack.com/a.pdf', ['files.slack.com'])).toBe(false);
    expect(isAllowedFileUrl('https://files.slack.com:8443/a.pdf', ['files.slack.com'])).toBe(false);
    expect(isAllowedFileUrl('not a url', ['files.slack.com'])).toBe(false);
  });
});

describe('/qbo upload', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('opens the review modal with a file input; the PDF is read, reviewed and booked; the uploader gets the DM', async () => {
    const ws = await setUpWorkspace(stack);
    await stack.driver.command({ teamId: T, userId: 'UPM', command: '/qbo', text: 'upload', channelId: 'CJOB1' });
    const modal = await waitFor(() => stack.slack.openModalStack(T, 'UPM').find((v) => v.callback_id === 'review_upload'), 'upload modal');
    const labels = modal.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.label.text);
    expect(labels[0]).toBe('Invoice file');
    expect(labels).toContain('Vendor');
    // The channel's project is preselected.
    expect(modal.blocks.find((b: any) => b.label?.text === 'Project').element.initial_option.text.text).toBe('Oak Street');

    const file = stack.slack.addFile(T, {
      name: 'invoice2data-QualityHosting.pdf',
      mimetype: 'application/pdf',
      bytes: fixture('invoice2data-QualityHosting.pdf'),
      user: 'UPM',
    });
    const res = await stack.driver.submitView({
      teamId: T,
      userId: 'UPM',
      view: modal,
      values: { 'Invoice file': { files: [file] }, Memo: 'Hosting for the site office' },
    });
    expect(res.body.response_action).toBe('update');
    const review = await waitFor(
      () => stack.slack.openModalStack(T, 'UPM').find((v) => v.callback_id === 'review_submit'),
      'review modal after reading',
      20_000,
    );
    const el = (l: string) => review.blocks.find((b: any) => b.label?.text === l).element;
    expect(el('Vendor').initial_option.text.text).toBe('QualityHosting AG');
    expect(el('Amount').initial_value).toBe('34.73');
    expect(el('Invoice number').initial_value).toBe('30064443');
    expect(el('Memo').initial_value).toBe('Hosting for the site office');
    expect(el('Project').initial_option.text.text).toBe('Oak Street');

    await stack.driver.submitView({ teamId: T, userId: 'UPM', view: topModal(stack, 'UPM'), values: {} });
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv).toMatchObject({ status: 'synced', source: 'upload', uploadedBy: 'UPM' });
    const bill = stack.qbo.entities(ws.realmId, 'Bill')[0];
    expect(bill).toMatchObject({ DocNumber: '30064443', TotalAmt: 34.73, PrivateNote: 'Hosting for the site office' });
    expect(stack.qbo.entities(ws.realmId, 'Attachable')).toHaveLength(1);
    expect(textOf(dmsTo(stack, 'UPM').at(-1))).toContain('is in QuickBooks');
    // No thread card for an upload: there is no shared message to answer.
    expect(stack.slack.messages('CJOB1').filter((m) => m.author !== 'UPM')).toHaveLength(0);

    // App Home lists it (the settings feature publishes the tab; this section is ours).
    await stack.driver.appHomeOpened({ teamId: T, userId: 'UPM' });
    const home = await waitFor(() => stack.slack.homeView(T, 'UPM'), 'home');
    expect(textOf({ blocks: home.blocks })).toContain('QualityHosting AG');
    expectNothingRejected(stack);
  }, 60_000);

  it('the global shortcut "Upload an invoice" opens the same modal, with no channel project preselected', async () => {
    const r = await stack.driver.shortcut({ teamId: T, userId: 'UFOREMAN', callbackId: 'invoice_upload_shortcut' });
    expect(r.status).toBe(200);
    const modal = await waitFor(
      () => stack.slack.openModalStack(T, 'UFOREMAN').find((v) => v.callback_id === 'review_upload'),
      'upload modal from the shortcut',
    );
    const labels = modal.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.label.text);
    expect(labels).toEqual([
      'Invoice file',
      'Type',
      'Purchase account',
      'Project',
      'Cost code',
      'Vendor',
      'Amount',
      'Invoice number',
      'Invoice date',
      'Due date',
      'Memo',
    ]);
    expect(modal.blocks.find((b: any) => b.label?.text === 'Project').element.initial_option).toBeUndefined();
    expectNothingRejected(stack);
  });
});
