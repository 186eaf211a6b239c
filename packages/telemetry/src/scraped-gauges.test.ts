import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type GaugeSpec, scrapedGauges } from './scraped-gauges.js';

const specs: GaugeSpec[] = [
  { name: 'test_pending', help: 'pending', labelNames: ['consumer'] },
  { name: 'test_ack_pending', help: 'ack pending', labelNames: ['consumer'] },
];

const consumer = (name: string, pending: number) => async () => [
  { gauge: 'test_pending', labels: { consumer: name }, value: pending },
  { gauge: 'test_ack_pending', labels: { consumer: name }, value: pending * 10 },
];

describe('scrapedGauges', () => {
  it('reads every source at scrape time, once for all the gauges of the set', async () => {
    const registry = new Registry();
    let reads = 0;
    const pending = { value: 1 };
    scrapedGauges(registry, specs).add(async () => {
      reads += 1;
      return consumer('a', pending.value)();
    });
    scrapedGauges(registry, specs).add(consumer('b', 2));
    expect(await registry.metrics()).toContain('test_pending{consumer="a"} 1');
    pending.value = 3;
    const text = await registry.metrics();
    expect(text).toContain('test_pending{consumer="a"} 3');
    expect(text).toContain('test_ack_pending{consumer="a"} 30');
    expect(text).toContain('test_pending{consumer="b"} 2');
    expect(reads).toBe(2);
  });

  it('leaves out a source that fails or is slow, and still answers', async () => {
    const registry = new Registry();
    const gauges = scrapedGauges(registry, specs, 50);
    gauges.add(consumer('up', 1));
    const failing = { now: false };
    gauges.add(async () => {
      if (failing.now) throw new Error('NATS is away');
      return consumer('flaky', 5)();
    });
    gauges.add(() => new Promise((resolve) => setTimeout(() => resolve([]), 1000)));
    expect(await registry.metrics()).toContain('test_pending{consumer="flaky"} 5');
    failing.now = true;
    const started = Date.now();
    const text = await registry.metrics();
    expect(Date.now() - started).toBeLessThan(500);
    expect(text).toContain('test_pending{consumer="up"} 1');
    expect(text).not.toContain('flaky');
  });

  it('drops the series of a removed source', async () => {
    const registry = new Registry();
    const remove = scrapedGauges(registry, specs).add(consumer('gone', 1));
    expect(await registry.metrics()).toContain('consumer="gone"');
    remove();
    expect(await registry.metrics()).not.toContain('consumer="gone"');
  });
});
