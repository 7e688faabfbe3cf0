// The Slack fake: views.open refuses what Slack refuses (Block Kit limits), through the real WebClient.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import type { SlackFake } from '../../emulators/slack/index.ts';
import { TEAM, ADMIN, modal, slackError, startFakeWorld } from './slack-world.ts';

let fake: SlackFake;
let web: WebClient;
beforeAll(async () => {
  ({ fake, web } = await startFakeWorld());
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.setTriggerTtlMs(3000);
});

describe('Web API fake through the real WebClient: Block Kit limits', () => {
  it('views.open: Block Kit limits → invalid_arguments with json-pointer messages', async () => {
    const cases: Array<[string, any, RegExp]> = [
      ['title > 24', modal({ title: { type: 'plain_text', text: 'x'.repeat(25) } }), /less than 25 characters \[json-pointer:\/view\/title\/text\]/],
      ['submit > 24', modal({ submit: { type: 'plain_text', text: 'x'.repeat(25) } }), /\/view\/submit\/text/],
      ['close > 24', modal({ close: { type: 'plain_text', text: 'x'.repeat(25) } }), /\/view\/close\/text/],
      ['mrkdwn title', modal({ title: { type: 'mrkdwn', text: 'Title' } }), /plain_text.*\/view\/title\/type/],
      ['private_metadata > 3000', modal({ private_metadata: 'x'.repeat(3001) }), /less than 3001.*private_metadata/],
      ['callback_id > 255', modal({ callback_id: 'x'.repeat(256) }), /callback_id/],
      ['> 100 blocks', modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }), /no more than 100 items/],
      [
        'duplicate block_id',
        modal({
          blocks: [
            { type: 'divider', block_id: 'a' },
            { type: 'divider', block_id: 'a' },
          ],
        }),
        /duplicate block_id/,
      ],
      ['block_id > 255', modal({ blocks: [{ type: 'divider', block_id: 'b'.repeat(256) }] }), /block_id/],
      [
        'duplicate action_id in a block',
        modal({
          blocks: [
            {
              type: 'actions',
              elements: [
                { type: 'button', text: { type: 'plain_text', text: 'A' }, action_id: 'x' },
                { type: 'button', text: { type: 'plain_text', text: 'B' }, action_id: 'x' },
              ],
            },
          ],
        }),
        /duplicate action_id/,
      ],
      [
        'action_id > 255',
        modal({
          blocks: [
            {
              type: 'actions',
              elements: [{ type: 'button', text: { type: 'plain_text', text: 'A' }, action_id: 'a'.repeat(256) }],
            },
          ],
        }),
        /action_id/,
      ],
      ['input without label', modal({ blocks: [{ type: 'input', element: { type: 'plain_text_input' } }] }), /\/view\/blocks\/0\/label/],
      ['input without element', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Amount' } }] }), /element/],
      [
        'input label mrkdwn',
        modal({
          blocks: [{ type: 'input', label: { type: 'mrkdwn', text: 'Amount' }, element: { type: 'plain_text_input' } }],
        }),
        /plain_text/,
      ],
      ['inputs but no submit', modal({ submit: undefined }), /submit/],
      [
        'static_select > 100 options',
        modal({
          blocks: [
            {
              type: 'input',
              label: { type: 'plain_text', text: 'Project' },
              element: {
                type: 'static_select',
                options: Array.from({ length: 101 }, (_, i) => ({
                  text: { type: 'plain_text', text: `P${i}` },
                  value: `p${i}`,
                })),
              },
            },
          ],
        }),
        /no more than 100 items/,
      ],
      [
        'option text > 75',
        modal({
          blocks: [
            {
              type: 'input',
              label: { type: 'plain_text', text: 'Project' },
              element: {
                type: 'static_select',
                options: [{ text: { type: 'plain_text', text: 'x'.repeat(76) }, value: 'v' }],
              },
            },
          ],
        }),
        /less than 76/,
      ],
      [
        'option value > 75',
        modal({
          blocks: [
            {
              type: 'input',
              label: { type: 'plain_text', text: 'Project' },
              element: {
                type: 'static_select',
                options: [{ text: { type: 'plain_text', text: 'x' }, value: 'v'.repeat(76) }],
              },
            },
          ],
        }),
        /value/,
      ],
      [
        'select option mrkdwn',
        modal({
          blocks: [
            {
              type: 'input',
              label: { type: 'plain_text', text: 'Project' },
              element: { type: 'static_select', options: [{ text: { type: 'mrkdwn', text: '*x*' }, value: 'v' }] },
            },
          ],
        }),
        /plain_text/,
      ],
      [
        'radio > 10 options',
        modal({
          blocks: [
            {
              type: 'input',
              label: { type: 'plain_text', text: 'Type' },
              element: {
                type: 'radio_buttons',
                options: Array.from({ length: 11 }, (_, i) => ({
                  text: { type: 'plain_text', text: `o${i}` },
                  value: `o${i}`,
                })),
              },
            },
          ],
        }),
        /no more than 10/,
      ],
      [
        'checkboxes > 10 options',
        modal({
          blocks: [
            {
              type: 'input',
              label: { type: 'plain_text', text: 'Flags' },
              element: {
                type: 'checkboxes',
                options: Array.from({ length: 11 }, (_, i) => ({
                  text: { type: 'mrkdwn', text: `o${i}` },
                  value: `o${i}`,
                })),
              },
            },
          ],
        }),
        /no more than 10/,
      ],
      ['section text > 3000', modal({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] }), /less than 3001/],
      [
        'button text > 75',
        modal({
          blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'x'.repeat(76) } }] }],
        }),
        /less than 76/,
      ],
      [
        'button url > 3000',
        modal({
          blocks: [
            {
              type: 'actions',
              elements: [
                {
                  type: 'button',
                  text: { type: 'plain_text', text: 'Open' },
                  url: `https://x.test/${'a'.repeat(3000)}`,
                },
              ],
            },
          ],
        }),
        /url/,
      ],
      ['header > 150', modal({ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }), /less than 151/],
      [
        'view > 250 kB',
        modal({
          blocks: Array.from({ length: 100 }, () => ({
            type: 'section',
            text: { type: 'mrkdwn', text: 'x'.repeat(2900) },
          })),
        }),
        /bytes/,
      ],
      [
        'initial_option not in options',
        modal({
          blocks: [
            {
              type: 'input',
              label: { type: 'plain_text', text: 'Type' },
              element: {
                type: 'static_select',
                options: [{ text: { type: 'plain_text', text: 'Bill' }, value: 'bill' }],
                initial_option: { text: { type: 'plain_text', text: 'Expense' }, value: 'expense' },
              },
            },
          ],
        }),
        /initial_option/,
      ],
      [
        'number_input without is_decimal_allowed',
        modal({
          blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Amount' }, element: { type: 'number_input' } }],
        }),
        /is_decimal_allowed/,
      ],
      ['unknown block property', modal({ blocks: [{ type: 'divider', colour: 'red' }] }), /unsupported property 'colour'/],
    ];
    for (const [name, view, re] of cases) {
      const trigger = fake.issueTriggerId(TEAM, ADMIN);
      const e = await slackError(web.views.open({ trigger_id: trigger, view }));
      expect(e.error, name).toBe('invalid_arguments');
      expect(e.messages.join('\n'), name).toMatch(re);
      // a rejected view does not use up the trigger
      await web.views.open({ trigger_id: trigger, view: modal() as any });
    }
  });
});
