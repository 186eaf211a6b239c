import { STREAM_NAME } from '@gitops/contracts';
import { type GaugeSpec, type MetricsRegistry, scrapedGauges } from '@gitops/telemetry';
import type { JetStreamManager } from '@nats-io/jetstream';

const PENDING = 'gitops_consumer_pending_messages';
const ACK_PENDING = 'gitops_consumer_ack_pending_messages';

const CONSUMER_GAUGES: GaugeSpec[] = [
  {
    name: PENDING,
    help: 'Messages on the durable consumer not yet delivered to any replica (JetStream num_pending)',
    labelNames: ['consumer'],
  },
  {
    name: ACK_PENDING,
    help: 'Messages delivered to the durable consumer and not yet acked (JetStream num_ack_pending)',
    labelNames: ['consumer'],
  },
];

/**
 * Reports a durable consumer's backlog, read from JetStream at scrape time (absent while NATS does
 * not answer); returns what stops reporting it. Every replica reports the same durable's numbers.
 */
export function trackConsumerPending(
  registry: MetricsRegistry,
  jsm: JetStreamManager,
  durable: string,
): () => void {
  const labels = { consumer: durable };
  return scrapedGauges(registry, CONSUMER_GAUGES).add(async () => {
    const info = await jsm.consumers.info(STREAM_NAME, durable);
    return [
      { gauge: PENDING, labels, value: info.num_pending },
      { gauge: ACK_PENDING, labels, value: info.num_ack_pending },
    ];
  });
}
