import { seeded } from '../../emulators/qbo/limits.ts';
import { sleep } from '../reliability/world.ts';
import { countFigures, type ClusterFigures } from './count.ts';
import { allBooked, pump, share, type RunState } from './run.ts';
import { startCluster } from './world.ts';

export interface ClusterOptions {
  instances: number;
  invoices: number;
  windowMs: number;
  latencyMs: number;
  seed: number;
  settleMs: number;
  /** The PostgreSQL server the instances share a fresh database on; without one, a SQLite file. */
  serverUrl?: string;
  /** Each instance's output is written here at the end (`--logs DIR`). */
  logsDir?: string;
  log: (s: string) => void;
}

/** bench:cluster as a function: the run described in run.ts, counted by count.ts. */
export async function runCluster(o: ClusterOptions): Promise<{ figures: ClusterFigures; problems: string[]; notes: Record<string, unknown> }> {
  const rand = seeded(o.seed);
  const world = await startCluster({
    instances: o.instances,
    windowMs: o.windowMs,
    latencyMs: o.latencyMs,
    rand,
    serverUrl: o.serverUrl,
    logsDir: o.logsDir,
  });
  o.log(`cluster up: ${o.instances} instances on one ${world.database} database, ${world.companies.length} companies`);
  const state: RunState = { run: `C${o.seed}`, shared: [], doubled: 0, expiries: 0, kills: 0 };
  let sharing = true;
  const pumps = world.companies.map(async (c) => {
    while (sharing || !(await allBooked(world, state))) {
      await pump(world, state, c);
      await sleep(250);
      if (!sharing && Date.now() > settleBy) break;
    }
  });
  let settleBy = Number.POSITIVE_INFINITY;
  const victim = world.instances[world.instances.length - 1];
  let restarted: Promise<void> = Promise.resolve();
  try {
    for (let k = 0; k < o.invoices; k++) {
      if (k === Math.floor(o.invoices / 3) || k === Math.floor((2 * o.invoices) / 3)) {
        for (const c of world.companies) world.qbo.expireAccessTokens(c.realmId);
        state.expiries++;
        o.log(`shared ${k}: every company's access tokens expired`);
      }
      if (k === Math.floor(o.invoices / 2)) {
        await world.kill(victim);
        state.kills++;
        o.log(`shared ${k}: instance ${victim.index} SIGKILLed`);
        restarted = sleep(2000)
          .then(() => world.start(victim))
          .then(() => o.log(`instance ${victim.index} started again`));
      }
      await share(world, state, world.companies[k % world.companies.length], rand);
      if (k % 50 === 49) o.log(`shared ${k + 1}/${o.invoices}`);
      await sleep(40);
    }
    await restarted;
    sharing = false;
    settleBy = Date.now() + o.settleMs;
    o.log('all shared; settling');
    await Promise.all(pumps);
    // The last cards and DMs go out after the last status change.
    await sleep(3000);
    const counted = await countFigures(world, state);
    // For diagnosis: what the instances logged as errors (on stderr with the problems).
    const errors = world.instances.flatMap((i) =>
      (i.app?.output ?? []).filter((l) => /"level":"(error|fatal)"|"level":50|"level":60/.test(l)).slice(-5),
    );
    counted.problems.push(...errors.map((l) => `instance log: ${l.slice(0, 600)}`));
    return { ...counted, notes: { database: world.database, doubledDeliveries: state.doubled, expiries: state.expiries, kills: state.kills } };
  } finally {
    sharing = false;
    settleBy = 0;
    await world.close();
  }
}
