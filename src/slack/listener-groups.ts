import { type App, MultipleListenerError, onlyActions, onlyCommands, onlyEvents, onlyOptions, onlyShortcuts, onlyViewActions } from '@slack/bolt';

/**
 * Bolt runs every registered listener's middleware chain for every request: for each of the app's ~45 listeners a
 * copy of the chain, a spread of the request's arguments and a few promises, only for the first middleware (which
 * kind of request it is for: onlyActions, onlyCommands, …) to stop all but one or two of them (~5% of the app's CPU
 * under bench:ack). Here the listeners registered with one of Bolt's kind filters are grouped by it: Bolt sees one
 * listener per kind — the filter, then a listener that runs the group's own chains exactly as Bolt would have (the
 * rest of each chain as middleware, its last function as the listener, all of them at once, errors gathered the same
 * way). A request of one kind reaches the listeners of that kind, in the order they were registered, as before.
 */

type Fn = (args: Record<string, unknown>) => unknown;
type Args = Record<string, unknown>;

const KIND_FILTERS = [onlyActions, onlyCommands, onlyEvents, onlyOptions, onlyShortcuts, onlyViewActions] as unknown as Fn[];

/** Bolt's processMiddleware: each middleware gets the arguments and a `next` that calls the one after it. */
function runChain(chain: Fn[], args: Args, last: () => Promise<unknown>): Promise<unknown> {
  let called = -1;
  const invoke = async (i: number): Promise<unknown> => {
    if (called >= i) throw new Error('next() called multiple times');
    if (i >= chain.length) return last();
    called = i;
    return chain[i]({ ...args, next: () => invoke(i + 1) });
  };
  return invoke(0);
}

/** One listener for a group of chains (each without its kind filter). */
function groupListener(chains: Fn[][]): Fn {
  return async ({ next: _noop, ...args }: Args) => {
    const results = await Promise.allSettled(
      chains.map((chain) => {
        const listener = chain[chain.length - 1];
        return runChain(chain.slice(0, -1), args, async () => listener({ ...args, next: () => {} }));
      }),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    if (failed.length === 1) throw failed[0];
    if (failed.length > 1) throw new MultipleListenerError(failed);
  };
}

/**
 * Regroups the listeners registered on `app` so far (call it once they all are). Returns how many chains Bolt runs
 * per request now, or null when Bolt's listener list does not have the expected shape (then nothing changes).
 */
export function groupListenersByKind(app: App): number | null {
  const holder = app as unknown as { listeners?: unknown };
  const listeners = holder.listeners;
  if (!Array.isArray(listeners) || !listeners.every((l) => Array.isArray(l) && l.every((f) => typeof f === 'function'))) return null;
  const groups = new Map<Fn, Fn[][]>();
  const out: Fn[][] = [];
  for (const chain of listeners as Fn[][]) {
    const filter = chain[0];
    if (chain.length < 2 || !KIND_FILTERS.includes(filter)) {
      out.push(chain);
      continue;
    }
    let group = groups.get(filter);
    if (!group) {
      groups.set(filter, (group = []));
      out.push([filter, groupListener(group)]);
    }
    group.push(chain.slice(1));
  }
  holder.listeners = out;
  return out.length;
}
