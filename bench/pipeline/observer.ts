import { connect } from '@nats-io/transport-node';

const TERMINAL = new Set(['image.pushed', 'image.failed', 'build.failed']);

export interface PipelineSeen {
  app: string;
  commit: string;
  /** Terminal events a plain NATS subscriber received for it (more than one is a duplicate). */
  terminals: { name: string; at: number; reason?: string }[];
}

/** A plain `nats sub 'gitops.v1.>'`, as docs/events.md tells users to run: what a subscriber sees. */
export async function observe(natsUrl: string) {
  const pipelines = new Map<string, PipelineSeen>();
  const nc = await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  nc.subscribe('gitops.v1.>', {
    callback: (_err, msg) => {
      const event = msg.json<{ type: string; subject: string; data: Record<string, unknown> }>();
      const name = event.type.replace(/^dev\.gitops\./, '').replace(/\.v1$/, '');
      const seen = pipelines.get(event.subject) ?? {
        app: String(event.data.app),
        commit: String(event.data.commit),
        terminals: [],
      };
      pipelines.set(event.subject, seen);
      if (TERMINAL.has(name)) {
        const reason = typeof event.data.reason === 'string' ? event.data.reason : undefined;
        seen.terminals.push({ name, at: Date.now(), ...(reason ? { reason } : {}) });
      }
    },
  });
  await nc.flush();
  return {
    pipelines,
    /** The pipeline of a pushed commit, once its source.received was seen. */
    byCommit: (commit: string) => [...pipelines.values()].find((p) => p.commit === commit),
    close: () => nc.close(),
  };
}
