/** `/qbo help` text (ephemeral). */
export function helpText(isAdmin: boolean): string {
  const lines = [
    '*QuickBooks invoices: how it works*',
    '• Share a supplier invoice (PDF) in a channel the app is in: it reads vendor, number, date and total and replies in the thread with *Review & sync*.',
    '• `/qbo upload`: send an invoice that arrived by e-mail.',
    '• `/qbo status`: is QuickBooks connected, is Auto-sync on, how many invoices wait.',
    '• `/qbo settings`: connect QuickBooks, Auto-sync, default purchase account and type, link projects & cost codes' +
      (isAdmin ? '.' : ' (admins only).'),
    '• `/qbo help`: this message.',
  ];
  return lines.join('\n');
}
