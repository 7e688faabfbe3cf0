import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.ts';
import * as commands from './commands/index.ts';
import * as actions from './actions/index.ts';
import * as views from './views/index.ts';
import * as events from './events/index.ts';
import * as options from './options/index.ts';
import * as shortcuts from './shortcuts/index.ts';

/** Listeners grouped by kind, each kind with its own register(app, deps) (as Slack's TypeScript starter does). */
export function registerListeners(app: App, deps: SlackDeps) {
  commands.register(app, deps);
  actions.register(app, deps);
  views.register(app, deps);
  events.register(app, deps);
  options.register(app, deps);
  shortcuts.register(app, deps);
}
