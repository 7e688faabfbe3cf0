import type { SlackDeps } from './deps.ts';

/**
 * Subscribes the Slack side to the core's events: invoice status changes (thread card, DMs, admin notices) and
 * broken QBO connections (one admin DM). Returns an unsubscribe function.
 */
export function wireNotifications(_deps: SlackDeps): () => void {
  return () => {};
}
