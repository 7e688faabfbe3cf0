import type { QboError } from '../qbo/errors.ts';

/** QBO's faults in plain words for the people in Slack: what went wrong and what to do. */
export function explainQboError(err: QboError): { reason: string; fix: string } {
  const detail = err.detail ? ` (QuickBooks says: ${err.detail})` : '';
  switch (err.kind) {
    case 'not_connected':
    case 'invalid_grant':
    case 'auth':
      return { reason: 'The QuickBooks connection has stopped working.', fix: 'An admin needs to reconnect QuickBooks in `/qbo settings`.' };
    case 'throttled':
      return { reason: 'QuickBooks is limiting how fast we can send right now.', fix: 'Nothing to do: it will be retried.' };
    case 'server':
    case 'network':
      return { reason: 'QuickBooks could not be reached or had an outage.', fix: 'Press Retry in a few minutes.' };
  }
  switch (err.code) {
    case '610':
      return { reason: `Something on this invoice points to a QuickBooks record that is inactive or was deleted${detail}.`, fix: 'Check the vendor, accounts, project and cost code, make them active in QuickBooks or choose others, then Retry.' };
    case '2500':
      return { reason: `Something on this invoice points to a QuickBooks record that does not exist${detail}.`, fix: 'Choose the vendor, account, project or cost code again, then Retry.' };
    case '6140':
      return { reason: 'QuickBooks already has a bill with this invoice number from this vendor.', fix: 'Check it is not a duplicate; an admin can Sync anyway.' };
    case '6000':
      return { reason: `QuickBooks refused the transaction${detail || `: ${err.message}`}.`, fix: 'Correct the invoice details and Retry.' };
    case '5010':
      return { reason: 'The record changed in QuickBooks while we were updating it.', fix: 'Press Retry.' };
    default:
      return { reason: `QuickBooks refused the transaction: ${err.message}${detail}.`, fix: 'Correct the invoice details and Retry; if it keeps failing, tell your admin.' };
  }
}
