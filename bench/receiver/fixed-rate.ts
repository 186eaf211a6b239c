// An open-loop load at a fixed rate: request i is sent at start + i/rate whatever happened to the
// earlier ones, so a slow answer shows up as latency instead of quietly lowering the rate (closed
// loops, and autocannon's per-connection rate timers that fire in bursts, hide that).
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FixedRateResult {
  sent: number;
  p50: number;
  p99: number;
  errors: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export async function fixedRate(
  url: string,
  options: {
    rate: number;
    durationS: number;
    /** The body and headers of each request. */
    next: () => { body: string; headers: Record<string, string> };
  },
): Promise<FixedRateResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let errors = 0;
  const send = () =>
    new Promise<void>((resolve) => {
      const { body, headers } = options.next();
      const started = performance.now();
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode && res.statusCode >= 300) errors++;
          latencies.push(performance.now() - started);
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const total = options.rate * options.durationS;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(send());
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { sent: total, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors };
}
