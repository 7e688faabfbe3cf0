import type { SlackDeps } from './deps.ts';
import { dm, recipients, refreshCard } from './notify.ts';
import { esc } from './views/common.ts';
import { invoiceTitle } from './views/invoice-common.ts';
import type { Invoice } from '../invoices/service.ts';
import type { ChangeEvents, PaidChange } from '../qbo/apply-change.ts';
import { paidText } from './copy/reasons.ts';

/**
 * What QuickBooks changed, told in Slack: the thread card follows every change; the uploader (and submitter) hear
 * when a Bill was paid or the transaction deleted there; the admins hear once when a linked project or cost code's
 * QuickBooks record went inactive or away, before an invoice fails on it.
 */

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

function message(inv: Invoice, line: string) {
  const title = esc(invoiceTitle(inv));
  const text = `${line} — ${invoiceTitle(inv)}`;
  return { text, blocks: [section(`${line}\n*${title}*`)] };
}

export function wireQboChangeNotices(deps: SlackDeps): () => void {
  const { events } = deps.engine.changes.applier;
  const safe = (what: string, p: Promise<void>) => p.catch((err) => deps.log.warn(`QuickBooks change notice failed: ${what}`, { error: err }));
  const onPaid = (c: PaidChange) => {
    void safe(
      'paid',
      (async () => {
        await refreshCard(deps, c.invoice.id);
        await dm(deps, c.invoice.teamId, recipients(c.invoice), message(c.invoice, `:moneybag: ${esc(paidText(c))}`));
      })(),
    );
  };
  const onUpdated = (inv: Invoice) => void safe('updated', refreshCard(deps, inv.id));
  const onDeleted = (inv: Invoice) => {
    const what = inv.reason?.code === 'voided_in_qbo' ? 'Voided in QuickBooks' : 'Deleted in QuickBooks';
    void safe('deleted', dm(deps, inv.teamId, recipients(inv), message(inv, `:wastebasket: ${what} — share it again to re-book`)));
  };
  const onLinkGone = (g: ChangeEvents['linkGone'][0]) => {
    void safe(
      'link gone',
      (async () => {
        if (!(await deps.engine.store.notices.claim(g.teamId, `qbo_link_gone:${g.profileId}`))) return;
        const client = await deps.clientFor(g.teamId);
        const admins = await deps.admins.list(client, g.teamId);
        const state = g.deleted ? 'was deleted' : 'was made inactive';
        const line = `:warning: The QuickBooks ${g.entity.toLowerCase()} that *${esc(g.profileName)}* is linked to ${state} in QuickBooks. Invoices for it will be blocked until you link it again in \`/qbo settings\`.`;
        await dm(deps, g.teamId, admins, { text: line.replace(/\*/g, ''), blocks: [section(line)] });
      })(),
    );
  };
  events.on('paid', onPaid);
  events.on('updated', onUpdated);
  events.on('deleted', onDeleted);
  events.on('linkGone', onLinkGone);
  return () => {
    events.off('paid', onPaid);
    events.off('updated', onUpdated);
    events.off('deleted', onDeleted);
    events.off('linkGone', onLinkGone);
  };
}
