import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';

export function register(_app: App, _deps: SlackDeps) {}
