import type { GitopsEvent } from '@gitops/contracts';
import { AppError } from '@gitops/errors';
import { Counter, type Logger, type MetricsRegistry } from '@gitops/telemetry';
import type { FastifyInstance } from 'fastify';
import type { AppDirectory } from './app-directory.js';
import { webhookErrors } from './errors.js';
import { type ProviderName, providers } from './providers/index.js';
import type { WebhookRequest } from './providers/types.js';
import { authenticate, oneRepository, planConfigDelivery, planDelivery } from './receive.js';

export type PublishEvent = (
  event: GitopsEvent<'source.received' | 'config.pushed'>,
) => Promise<{ duplicate: boolean }>;

export interface WebhookRouteDeps {
  directory: AppDirectory;
  publish: PublishEvent;
  logger: Logger;
  registry: MetricsRegistry;
}

const isProvider = (name: string): name is ProviderName => Object.hasOwn(providers, name);

function toWebhookRequest(
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): WebhookRequest {
  const flat: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers))
    flat[key] = Array.isArray(value) ? value.join(', ') : value;
  const contentType = (flat['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return { headers: flat, body: Buffer.isBuffer(body) ? body : Buffer.alloc(0), contentType };
}

/** `POST /webhooks/:provider`, added to the service's HTTP base. */
export const webhookRoutes = (deps: WebhookRouteDeps) => (app: FastifyInstance) => {
  const deliveries = new Counter({
    name: 'gitops_webhook_deliveries_total',
    help: 'Webhook deliveries by provider and HTTP status code answered',
    labelNames: ['provider', 'code'] as const,
    registers: [deps.registry],
  });
  // Signatures are computed over the exact bytes sent, so every body stays a raw Buffer.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onResponse', async (request, reply) => {
    const provider = (request.params as { provider?: string }).provider;
    if (provider && isProvider(provider)) deliveries.inc({ provider, code: reply.statusCode });
  });
  app.post<{ Params: { provider: string } }>('/webhooks/:provider', async (request, reply) => {
    const { provider } = request.params;
    if (!isProvider(provider)) {
      throw new AppError('GITOPS_WEBHOOK_UNKNOWN_PROVIDER', `no webhook provider "${provider}"`, {
        statusCode: 404,
      });
    }
    const result = await handleDelivery(provider, toWebhookRequest(request.headers, request.body), deps);
    return reply.code(result.status).send(result.body);
  });
};

async function handleDelivery(provider: ProviderName, request: WebhookRequest, deps: WebhookRouteDeps) {
  const adapter = providers[provider];
  const delivery = adapter.parse(request);
  const repoURLs = delivery.kind === 'push' ? delivery.push.repoURLs : delivery.repoURLs;
  const candidates = deps.directory.find(repoURLs);
  const configCandidates = candidates.length === 0 ? deps.directory.findConfig(repoURLs) : [];
  if (candidates.length === 0 && configCandidates.length === 0) {
    if (delivery.kind === 'ignored') return ignored(delivery.reason);
    throw webhookErrors.unknownRepository(repoURLs);
  }
  const plan =
    candidates.length > 0
      ? planDelivery(provider, delivery, oneRepository(authenticate(adapter, request, candidates)))
      : planConfigDelivery(provider, delivery, authenticate(adapter, request, configCandidates));
  if (plan.kind === 'ignored') return ignored(plan.reason);
  const pipelines = [];
  for (const event of plan.events) {
    const { duplicate } = await deps.publish(event);
    const { app, pipelineId, deliveryId } = event.data;
    const commit = 'after' in event.data ? event.data.after : event.data.configCommit;
    deps.logger.info({ app, pipelineId, deliveryId, provider, duplicate, commit }, 'pipeline started');
    pipelines.push({ app, pipelineId, duplicate });
  }
  const first = pipelines[0]!;
  const deliveryId = plan.events[0]!.data.deliveryId;
  if (pipelines.every((p) => p.duplicate)) {
    return {
      status: 200,
      body: {
        duplicate: true,
        pipelineId: first.pipelineId,
        deliveryId,
        message: 'delivery already received',
      },
    };
  }
  const message = `pipeline ${pipelines.map((p) => p.pipelineId).join(', ')} started`;
  return { status: 202, body: { pipelineId: first.pipelineId, deliveryId, pipelines, message } };
}

const ignored = (reason: string) => ({
  status: 200,
  body: { ignored: reason, message: `ignored: ${reason}` },
});
