import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, connectQbo } from './intake-helpers.ts';

/** App Home: people see the invoices they uploaded or submitted; admins see the workspace's. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  await connectQbo(stack);
});
afterAll(async () => {
  await stack?.stop();
});

async function invoice(fileName: string, uploadedBy: string, submittedBy?: string) {
  const { engine } = stack.app;
  const { invoice } = await engine.invoices.create({
    teamId: T,
    source: 'upload',
    bytes: Buffer.from(`%PDF-1.4 ${fileName}`),
    fileName,
    mimeType: 'application/pdf',
    uploadedBy,
  });
  if (submittedBy) await engine.invoices.patch(invoice.id, { submittedBy });
  return invoice;
}

async function homeText(user: string): Promise<string> {
  const before = stack.slack.calls.filter((c) => c.method === 'views.publish').length;
  await stack.driver.appHomeOpened({ teamId: T, userId: user });
  await waitFor(() => stack.slack.calls.filter((c) => c.method === 'views.publish').length > before, `home for ${user}`);
  return JSON.stringify(stack.slack.homeView(T, user)?.blocks ?? []);
}

describe('App Home invoices', () => {
  it('a non-admin sees only what they uploaded or submitted; an admin sees all', async () => {
    await invoice('foreman-upload.pdf', 'UFOREMAN');
    await invoice('pm-upload.pdf', 'UPM');
    await invoice('pm-upload-foreman-submitted.pdf', 'UPM', 'UFOREMAN');

    const foreman = await homeText('UFOREMAN');
    expect(foreman).toContain('foreman-upload.pdf');
    expect(foreman).toContain('pm-upload-foreman-submitted.pdf');
    expect(foreman).not.toContain('pm-upload.pdf');

    const pm = await homeText('UPM');
    expect(pm).toContain('pm-upload.pdf');
    expect(pm).toContain('pm-upload-foreman-submitted.pdf');
    expect(pm).not.toContain('foreman-upload.pdf');

    const owner = await homeText('UOWNER'); // a workspace owner: an admin
    for (const f of ['foreman-upload.pdf', 'pm-upload.pdf', 'pm-upload-foreman-submitted.pdf']) expect(owner).toContain(f);
    const admin = await homeText('UADMIN');
    for (const f of ['foreman-upload.pdf', 'pm-upload.pdf', 'pm-upload-foreman-submitted.pdf']) expect(admin).toContain(f);
  }, 60_000);
});
