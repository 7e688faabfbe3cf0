import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who holds a job: `host:pid:random`, one per Worker. A job locked by an instance that is gone (its process died on
 * this host, or an earlier Worker of this very process that is no longer running) can be taken back at once instead
 * of waiting for its lease to run out. Instances on other hosts are only ever recovered by lease expiry.
 */

const HOST = hostname();
const live = new Set<string>();

export function newInstanceId(): string {
  return `${HOST}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export function markLive(id: string): void {
  live.add(id);
}

export function markGone(id: string): void {
  live.delete(id);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid exists but belongs to someone else (alive, just not ours to signal).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is this instance known to be gone? False when unsure (another host, an unparsable id, a live pid). */
export function instanceIsGone(id: string): boolean {
  if (live.has(id)) return false;
  const m = /^(.*):(\d+):([0-9a-f]+)$/.exec(id);
  if (!m || m[1] !== HOST) return false;
  const pid = Number(m[2]);
  // This process, but not a Worker running now: an earlier instance with the same pid (a container restart) or a
  // stopped one.
  if (pid === process.pid) return true;
  return !pidAlive(pid);
}
