// The Bolt app the driver tests in slack-driver.test.ts talk to: its commands, actions, submissions and suggestions.
import type { App } from '@slack/bolt';

/** Registers the test app's listeners; `seen` collects what reached them, `onSubmission` gets each submitted view. */
export function registerHandlers(app: App, seen: any[], onSubmission: (view: any) => void): void {
  app.command('/qbo', async ({ ack, command, client }) => {
    seen.push({ kind: 'command', command });
    if (command.text === 'help') {
      await ack({ response_type: 'ephemeral', text: 'Usage: /qbo settings' });
      return;
    }
    await ack();
    await client.views.open({
      trigger_id: command.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'review',
        title: { type: 'plain_text', text: 'Review invoice' },
        submit: { type: 'plain_text', text: 'Sync' },
        private_metadata: JSON.stringify({ invoice: 42 }),
        blocks: [
          {
            type: 'input',
            block_id: 'type',
            label: { type: 'plain_text', text: 'Type' },
            element: {
              type: 'radio_buttons',
              action_id: 'v',
              initial_option: { text: { type: 'plain_text', text: 'Bill' }, value: 'bill' },
              options: [
                { text: { type: 'plain_text', text: 'Bill' }, value: 'bill' },
                { text: { type: 'plain_text', text: 'Expense' }, value: 'expense' },
              ],
            },
          },
          {
            type: 'input',
            block_id: 'project',
            label: { type: 'plain_text', text: 'Project' },
            element: { type: 'external_select', action_id: 'v', min_query_length: 0 },
          },
          {
            type: 'input',
            block_id: 'amount',
            label: { type: 'plain_text', text: 'Amount' },
            element: { type: 'number_input', action_id: 'v', is_decimal_allowed: true, initial_value: '100.00' },
          },
          {
            type: 'input',
            block_id: 'date',
            label: { type: 'plain_text', text: 'Invoice date' },
            element: { type: 'datepicker', action_id: 'v' },
          },
          {
            type: 'input',
            block_id: 'memo',
            optional: true,
            label: { type: 'plain_text', text: 'Memo' },
            element: { type: 'plain_text_input', action_id: 'v' },
          },
          {
            type: 'actions',
            block_id: 'act',
            elements: [
              {
                type: 'button',
                action_id: 'link_profiles',
                text: { type: 'plain_text', text: 'Link projects' },
                value: 'x',
              },
            ],
          },
        ],
      },
    });
  });
  app.options({ action_id: 'v', block_id: 'project' }, async ({ ack, payload }) => {
    seen.push({ kind: 'options', value: payload.value });
    await ack({
      option_groups: [
        {
          label: { type: 'plain_text', text: 'Active' },
          options: [{ text: { type: 'plain_text', text: 'Main Street' }, value: 'qbo:12' }],
        },
        {
          label: { type: 'plain_text', text: 'Other' },
          options: [{ text: { type: 'plain_text', text: `Match ${payload.value}` }, value: 'qbo:13' }],
        },
      ],
    } as any);
  });
  app.action('link_profiles', async ({ ack, body, client }) => {
    await ack();
    seen.push({ kind: 'action', body });
    await client.views.push({
      trigger_id: (body as any).trigger_id,
      view: {
        type: 'modal',
        callback_id: 'link',
        title: { type: 'plain_text', text: 'Link' },
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Profiles' } }],
      },
    });
  });
  app.view('review', async ({ ack, view }) => {
    onSubmission(view);
    const amount = Number(view.state.values.amount.v.value);
    if (!(amount > 0)) {
      await ack({ response_action: 'errors', errors: { amount: 'Enter an amount above 0' } });
      return;
    }
    await ack({
      response_action: 'update',
      view: {
        type: 'modal',
        callback_id: 'done',
        title: { type: 'plain_text', text: 'Synced' },
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Bill for ${amount}` } }],
      },
    });
  });
  app.event('app_mention', async ({ event }) => {
    seen.push({ kind: 'event', event });
  });
  app.command('/status', async ({ ack, respond, say }) => {
    await ack();
    await say({
      text: 'Invoice 7 ready',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'Invoice 7 ready' },
          accessory: {
            type: 'button',
            action_id: 'retry',
            text: { type: 'plain_text', text: 'Retry' },
            value: 'inv-7',
          },
        },
      ],
    });
    await respond({ text: 'Working on it' });
  });
  app.action('retry', async ({ ack, respond, body }) => {
    await ack();
    seen.push({ kind: 'retry', body });
    await respond({ replace_original: true, text: 'Retried invoice 7' });
  });
  app.command('/upload', async ({ ack, command, client }) => {
    await ack();
    await client.views.open({
      trigger_id: command.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'upload',
        notify_on_close: true,
        title: { type: 'plain_text', text: 'Upload invoice' },
        submit: { type: 'plain_text', text: 'Upload' },
        blocks: [
          {
            type: 'input',
            block_id: 'file',
            label: { type: 'plain_text', text: 'Invoice file' },
            element: { type: 'file_input', action_id: 'f', filetypes: ['pdf'], max_files: 1 },
          },
          {
            type: 'input',
            block_id: 'acct',
            dispatch_action: true,
            label: { type: 'plain_text', text: 'Purchase account' },
            element: {
              type: 'static_select',
              action_id: 'a',
              options: [
                { text: { type: 'plain_text', text: 'Checking' }, value: '35' },
                { text: { type: 'plain_text', text: 'Visa' }, value: '41' },
              ],
            },
          },
          {
            type: 'input',
            block_id: 'kind',
            label: { type: 'plain_text', text: 'Type' },
            element: {
              type: 'static_select',
              action_id: 'k',
              options: [
                { text: { type: 'plain_text', text: 'Bill' }, value: 'bill' },
                { text: { type: 'plain_text', text: 'Expense' }, value: 'expense' },
              ],
            },
          },
        ],
      },
    });
  });
  app.action('a', async ({ ack, body }) => {
    await ack();
    seen.push({ kind: 'acct', body });
  });
  app.view('upload', async ({ ack, view }) => {
    onSubmission(view);
    await ack({ response_action: 'errors', errors: { no_such_block: 'oops' } });
  });
  app.view({ callback_id: 'upload', type: 'view_closed' }, async ({ ack, body }) => {
    await ack();
    seen.push({ kind: 'closed', body });
  });
}
