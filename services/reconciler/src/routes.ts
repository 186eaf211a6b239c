import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Controller } from './controller.js';

const Name = Type.Object({ name: Type.String() });
const EnvironmentQuery = Type.Object({ environment: Type.Optional(Type.String()) });
const RollbackBody = Type.Object(
  {
    to: Type.String({ pattern: '^[0-9a-f]{40}$', description: 'the config commit to go back to' }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

type Params = Static<typeof Name>;
type Query = Static<typeof EnvironmentQuery>;

/** Reading routes (CONTRACT section 7): open like the status pages of other services. */
export const statusRoutes = (controller: Controller) => (app: FastifyInstance) => {
  app.get('/api/v1/apps', async () => ({
    apps: await Promise.all(
      [...controller.apps.values()].map(async (application) => ({
        name: application.name,
        environments: await controller.status(application),
      })),
    ),
  }));
  app.get<{ Params: Params }>('/api/v1/apps/:name', { schema: { params: Name } }, async (request) => {
    const { app: application } = controller.find(request.params.name);
    return { name: application.name, environments: await controller.status(application) };
  });
  app.get<{ Params: Params; Querystring: Query }>(
    '/api/v1/apps/:name/diff',
    { schema: { params: Name, querystring: EnvironmentQuery } },
    async (request) => {
      const { app: application, environment } = controller.find(
        request.params.name,
        request.query.environment,
      );
      return {
        app: application.name,
        environment: environment.name,
        ...(await controller.diff(application, environment)),
      };
    },
  );
};

/** State-changing routes, behind the bearer-token guard (docs/security.md). */
export const actionRoutes = (controller: Controller) => (app: FastifyInstance) => {
  app.post<{ Params: Params; Querystring: Query }>(
    '/api/v1/apps/:name/sync',
    { schema: { params: Name, querystring: EnvironmentQuery } },
    async (request, reply) => {
      const { app: application, environment } = controller.find(
        request.params.name,
        request.query.environment,
      );
      controller.syncInBackground(application, environment, 'api');
      request.log.info(
        { app: application.name, environment: environment.name, by: request.actor },
        'sync requested',
      );
      return reply
        .code(202)
        .send({ app: application.name, environment: environment.name, message: 'sync started' });
    },
  );
  app.post<{ Params: Params; Querystring: Query; Body: Static<typeof RollbackBody> }>(
    '/api/v1/apps/:name/rollback',
    { schema: { params: Name, querystring: EnvironmentQuery, body: RollbackBody } },
    async (request) => {
      const { app: application, environment } = controller.find(
        request.params.name,
        request.query.environment,
      );
      const event = await controller.rollback(
        application,
        environment,
        request.body.to,
        request.actor ?? 'unknown',
        request.body.reason,
      );
      return event.data;
    },
  );
};
