/** Latency samples of one benchmark target: percentiles, throughput, peak RSS. */
export interface Sample {
  kind: string;
  ms: number;
}

export class Stats {
  samples: Sample[] = [];
  seconds = 0;
  peakRss = 0;
  cpuMs = 0;
  mainThreadCpuMs = 0;
  get count() {
    return this.samples.length;
  }
  get over3s() {
    return this.samples.filter((s) => s.ms > 3000).length;
  }
  add(r: { samples: Sample[]; seconds: number; peakRss: number; cpu: { total: number; mainThread: number } }) {
    this.samples.push(...r.samples);
    this.cpuMs += r.cpu.total;
    this.mainThreadCpuMs += r.cpu.mainThread;
    this.seconds += r.seconds;
    this.peakRss = Math.max(this.peakRss, r.peakRss);
  }
  private static q(ms: number[], p: number) {
    const s = [...ms].sort((a, b) => a - b);
    return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
  }
  summary() {
    const ms = this.samples.map((s) => s.ms);
    return {
      p50Ms: Stats.q(ms, 0.5),
      p95Ms: Stats.q(ms, 0.95),
      p99Ms: Stats.q(ms, 0.99),
      reqPerSec: Math.round(this.count / this.seconds),
      rssMb: this.peakRss,
    };
  }
  /** CPU ms per request answered: the whole process (tree), and its main thread alone. */
  cpuPerRequest() {
    const per = (ms: number) => Number((ms / Math.max(1, this.count)).toFixed(2));
    return { processMs: per(this.cpuMs), mainThreadMs: per(this.mainThreadCpuMs) };
  }
  perKind() {
    const out: Record<string, number> = {};
    for (const k of new Set(this.samples.map((s) => s.kind)))
      out[k] = Stats.q(
        this.samples.filter((s) => s.kind === k).map((s) => s.ms),
        0.99,
      );
    return out;
  }
}
