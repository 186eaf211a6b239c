import type { AnyEvent } from '@gitops/contracts';
import { Counter, Histogram, type MetricsRegistry } from '@gitops/telemetry';
import type { BatchResult } from './ingest/write-batch.js';

const STAGE_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];
const LEAD_BUCKETS = [60, 300, 900, 3600, 4 * 3600, 86_400, 7 * 86_400, 30 * 86_400];

/**
 * The pipelines' own metrics, from the events this replica stores (each once): pipelines started,
 * stages finished and their durations by app, stage and outcome, commit-to-deploy lead time, and
 * the events the store refused (dead-lettered).
 */
export function pipelineMetrics(registry: MetricsRegistry): {
  stored(result: BatchResult): void;
  refused(event: AnyEvent): void;
} {
  const pipelines = new Counter({
    name: 'gitops_pipelines_total',
    help: 'Pipelines started (source.received stored), by app',
    labelNames: ['app'] as const,
    registers: [registry],
  });
  const stages = new Histogram({
    name: 'gitops_pipeline_stage_duration_seconds',
    help: 'Finished pipeline stages by app, stage (build, image, config, deploy, promotion, …) and outcome',
    labelNames: ['app', 'stage', 'outcome'] as const,
    buckets: STAGE_BUCKETS,
    registers: [registry],
  });
  const leadTime = new Histogram({
    name: 'gitops_lead_time_seconds',
    help: 'Lead time for changes: source commit time to successful deploy, by app and environment',
    labelNames: ['app', 'environment'] as const,
    buckets: LEAD_BUCKETS,
    registers: [registry],
  });
  const refused = new Counter({
    name: 'gitops_metrics_events_refused_total',
    help: 'Events the store refused for their data (dead-lettered to gitops.dlq.metrics), by event name',
    labelNames: ['name'] as const,
    registers: [registry],
  });
  const stored = ({ stored, facts, leadTimes }: BatchResult) => {
    facts.forEach((fact, index) => {
      const app = stored[index]!.event.data.app;
      if (stored[index]!.name === 'source.received') pipelines.inc({ app });
      const stage = fact.stage;
      // Stages whose events carry no start (config, a promotion's decision) have no duration here.
      if (!stage?.ended_at || !stage.started_at || stage.stage === 'source') return;
      const start = Date.parse(stage.started_at);
      stages.observe(
        { app, stage: stage.stage, outcome: stage.outcome },
        (Date.parse(stage.ended_at) - start) / 1000,
      );
    });
    for (const lead of leadTimes)
      leadTime.observe({ app: lead.app, environment: lead.environment }, lead.ms / 1000);
  };
  return { stored, refused: ({ name }) => refused.inc({ name }) };
}
