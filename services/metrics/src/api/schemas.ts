import { Type } from '@sinclair/typebox';

const App = Type.String({
  pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
  description: 'an application name',
});
const Time = Type.String({ format: 'date-time', description: 'RFC 3339' });

export const PipelinesQuery = Type.Object(
  {
    app: Type.Optional(App),
    status: Type.Optional(
      Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

export const PipelineParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** from/to default to the 30 days up to now. */
export const RangeQuery = Type.Object(
  { app: Type.Optional(App), from: Type.Optional(Time), to: Type.Optional(Time) },
  { additionalProperties: false },
);

export const AuditQuery = Type.Object(
  {
    app: Type.Optional(App),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
    limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000, description: 'records per JSON page' }),
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const EventsQuery = Type.Object(
  {
    app: Type.Optional(App),
    type: Type.Optional(
      Type.String({
        maxLength: 512,
        description: 'event names, comma separated (`deploy.succeeded,build.failed`)',
      }),
    ),
  },
  { additionalProperties: false },
);
