import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import YAML from 'yaml';
import { registerListeners } from '../src/slack/listeners/index.ts';
import { BOT_SCOPES } from '../src/slack/app.ts';

const root = new URL('..', import.meta.url).pathname;
const manifest = YAML.parse(readFileSync(join(root, 'manifest.yml'), 'utf8'));
const schema = JSON.parse(readFileSync(join(root, 'test/fixtures/schemas/slack-app-manifest.schema.1.0.0.json'), 'utf8'));

/** What the app really registers: run registerListeners against a recorder instead of a Bolt App. */
function registrations() {
  const seen = {
    command: [] as string[],
    event: [] as string[],
    message: 0,
    action: [] as unknown[],
    view: [] as unknown[],
    options: [] as unknown[],
    shortcut: [] as unknown[],
  };
  const recorder = {
    command: (name: string) => seen.command.push(name),
    event: (name: string) => seen.event.push(String(name)),
    message: () => seen.message++,
    action: (c: unknown) => seen.action.push(c),
    view: (c: unknown) => seen.view.push(c),
    options: (c: unknown) => seen.options.push(c),
    shortcut: (c: unknown) => seen.shortcut.push(c),
    use: () => {},
    error: () => {},
  };
  // Listeners may read deps while registering; none may call Slack or QBO then.
  const anything: unknown = new Proxy(() => {}, { get: (_t, k) => (k === Symbol.toPrimitive ? () => '' : anything), apply: () => anything });
  registerListeners(recorder as never, anything as never);
  return seen;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const source = sourceFiles(join(root, 'src'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

/** Web API methods the code calls → the bot scope each needs (methods that need none map to null). */
const METHOD_SCOPES: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.delete': 'chat:write',
  'conversations.open': 'im:write',
  'files.info': 'files:read',
  'users.info': 'users:read',
  'users.list': 'users:read',
  'views.open': null,
  'views.update': null,
  'views.push': null,
  'views.publish': null,
  'auth.test': null,
};

describe('manifest.yml', () => {
  it("is valid against Slack's official app manifest schema", () => {
    // ajv is CommonJS: under NodeNext its default export is the module object.
    const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
    const validate = new (Ajv as any)({ strict: false, allErrors: true, logger: false }).compile(schema);
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('declares every slash command the app registers, and no other', () => {
    const declared = (manifest.features.slash_commands ?? []).map((c: { command: string }) => c.command).sort();
    expect([...new Set(registrations().command)].sort()).toEqual(declared);
    expect(manifest.features.slash_commands[0].usage_hint).toMatch(/settings/);
  });

  it('subscribes to exactly the events the app listens to', () => {
    const r = registrations();
    const expected = new Set<string>();
    for (const e of r.event) {
      if (e === 'message') {
        expected.add('message.channels');
        expected.add('message.groups');
      } else expected.add(e);
    }
    if (r.message) ['message.channels', 'message.groups'].forEach((e) => expected.add(e));
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...expected].sort());
  });

  it('enables interactivity, options loading, the App Home tab and every global shortcut the app handles', () => {
    const r = registrations();
    expect(r.action.length + r.view.length).toBeGreaterThan(0);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    if (r.options.length) expect(manifest.settings.interactivity.message_menu_options_url).toBeTruthy();
    if (r.event.includes('app_home_opened')) expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    const handled = r.shortcut.map((s) => (typeof s === 'string' ? s : (s as { callback_id: string }).callback_id)).sort();
    expect((manifest.features.shortcuts ?? []).map((s: { callback_id: string }) => s.callback_id).sort()).toEqual(handled);
  });

  it('requests exactly the bot scopes the code needs', () => {
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    expect([...scopes].sort()).toEqual([...BOT_SCOPES].sort());
    const called = new Set([...source.matchAll(/\bclient\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`));
    const needed = new Set<string>(['commands']);
    for (const method of called) {
      expect(METHOD_SCOPES, `add ${method} to METHOD_SCOPES with its scope`).toHaveProperty([method]);
      const scope = METHOD_SCOPES[method];
      if (scope) needed.add(scope);
    }
    for (const e of manifest.settings.event_subscriptions.bot_events as string[]) {
      if (e === 'message.channels') needed.add('channels:history');
      if (e === 'message.groups') needed.add('groups:history');
      if (e === 'file_shared') needed.add('files:read');
    }
    expect([...needed].sort()).toEqual([...scopes].sort());
  });

  it('points every URL at the same app endpoint', () => {
    const urls = [
      ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
    ];
    for (const u of urls) expect(u).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
  });
});
