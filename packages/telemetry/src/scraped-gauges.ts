import { Gauge, type Registry } from 'prom-client';

export interface GaugeSpec {
  name: string;
  help: string;
  labelNames: readonly string[];
}

/** One value of one of the gauges. */
export interface GaugeSample {
  gauge: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads the current values of one source (a stage queue, a durable consumer). It may fail. */
export type GaugeSource = () => Promise<GaugeSample[]>;

export interface ScrapedGauges {
  /** Adds a source read at every scrape; returns what removes it again. */
  add(source: GaugeSource): () => void;
}

// One set of gauges per registry, however many queues or consumers a process adds sources for.
const created = new WeakMap<Registry, Map<string, ScrapedGauges>>();

/** What a source that fails or answers after `budgetMs` contributes to a scrape: nothing. */
async function withinBudget(source: GaugeSource, budgetMs: number): Promise<GaugeSample[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<GaugeSample[]>((resolve) => {
    timer = setTimeout(() => resolve([]), budgetMs);
  });
  try {
    return await Promise.race([source().catch(() => []), late]);
  } finally {
    clearTimeout(timer);
  }
}

function createGauges(registry: Registry, specs: readonly GaugeSpec[], budgetMs: number): ScrapedGauges {
  const sources = new Set<GaugeSource>();
  const gauges = new Map<string, Gauge>();
  const read = async () => {
    const samples = await Promise.all([...sources].map((source) => withinBudget(source, budgetMs)));
    for (const gauge of gauges.values()) gauge.reset();
    for (const { gauge, labels, value } of samples.flat()) gauges.get(gauge)?.set(labels, value);
  };
  // The registry collects its metrics concurrently: the gauges of one set share one read per scrape.
  let reading: Promise<void> | undefined;
  const collect = () => {
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  for (const { name, help, labelNames } of specs) {
    gauges.set(name, new Gauge({ name, help, labelNames: [...labelNames], registers: [registry], collect }));
  }
  return {
    add(source) {
      sources.add(source);
      return () => sources.delete(source);
    },
  };
}

/**
 * Gauges whose values are read at scrape time from sources that come and go. A source that fails
 * or takes longer than `budgetMs` (default 2 s) is left out of that scrape, so its series are
 * absent rather than stale, and /metrics still answers while Redis or NATS does not.
 */
export function scrapedGauges(
  registry: Registry,
  specs: readonly GaugeSpec[],
  budgetMs = 2000,
): ScrapedGauges {
  const key = specs.map((spec) => spec.name).join(',');
  const ofRegistry = created.get(registry) ?? new Map<string, ScrapedGauges>();
  created.set(registry, ofRegistry);
  const existing = ofRegistry.get(key);
  if (existing) return existing;
  const gauges = createGauges(registry, specs, budgetMs);
  ofRegistry.set(key, gauges);
  return gauges;
}
