import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from './decode.js';
import { createEvent, eventId } from './envelope.js';
import { pipelineIdFor } from './ids.js';
import { parseSubject, subjectFilter, subjectFor } from './subjects.js';
import { ContractViolation } from './validate.js';

const sha = 'a'.repeat(40);
const received = {
  pipelineId: 'hello-0123456789abcdef',
  app: 'hello',
  commit: sha,
  provider: 'generic' as const,
  deliveryId: 'd-1',
  repoURL: 'http://127.0.0.1:8181/acme/hello.git',
  ref: 'refs/heads/main',
  branch: 'main',
  before: '0'.repeat(40),
  after: sha,
  pusher: { name: 'Ada', email: 'ada@example.com' },
  headCommit: {
    sha,
    message: 'feat: x',
    author: { name: 'Ada', email: 'ada@example.com' },
    timestamp: '2026-11-27T05:00:00Z',
  },
};

describe('createEvent', () => {
  it('builds a CloudEvents 1.0 envelope whose id is deterministic per pipeline and event', () => {
    const event = createEvent({ name: 'source.received', service: 'webhook-receiver', data: received });
    expect(event).toMatchObject({
      specversion: '1.0',
      id: 'hello-0123456789abcdef.source.received',
      source: '/gitops/webhook-receiver',
      type: 'dev.gitops.source.received.v1',
      subject: received.pipelineId,
      datacontenttype: 'application/json',
    });
    expect(event.id).toBe(eventId(received.pipelineId, 'source.received'));
  });

  it('refuses data that breaks the schema, naming the field', () => {
    expect(() =>
      createEvent({ name: 'source.received', service: 'x', data: { ...received, after: 'not-a-sha' } }),
    ).toThrow(/\/after/);
  });
});

describe('decodeEvent', () => {
  const event = createEvent({ name: 'source.received', service: 'webhook-receiver', data: received });

  it('round-trips an encoded event and narrows it by name', () => {
    const decoded = decodeEvent(encodeEvent(event));
    expect(decoded.name).toBe('source.received');
    if (decoded.name === 'source.received') expect(decoded.event.data.branch).toBe('main');
  });

  it('keeps unknown fields, since v1 grows additively', () => {
    const decoded = decodeEvent({ ...event, data: { ...event.data, futureField: 1 } });
    expect((decoded.event.data as Record<string, unknown>).futureField).toBe(1);
  });

  it.each([
    ['bytes that are not JSON', '{"specversion":', /not JSON/],
    ['a missing envelope field', JSON.stringify({ ...event, id: undefined }), /\/id/],
    ['an unknown type', JSON.stringify({ ...event, type: 'dev.gitops.nope.never.v1' }), /unknown event type/],
    [
      'data missing a field',
      JSON.stringify({ ...event, data: { ...event.data, pusher: undefined } }),
      /\/pusher/,
    ],
  ])('refuses %s with a ContractViolation', (_, input, message) => {
    expect(() => decodeEvent(input)).toThrow(ContractViolation);
    expect(() => decodeEvent(input)).toThrow(message);
  });

  it('refuses an event of another kind than the consumer expects', () => {
    expect(() => decodeEvent(event, 'build.succeeded')).toThrow(/expected build.succeeded/);
  });
});

describe('subjects', () => {
  it('builds and parses gitops.v1.<app>.<stage>.<event>', () => {
    expect(subjectFor('hello', 'build.failed')).toBe('gitops.v1.hello.build.failed');
    expect(parseSubject('gitops.v1.hello.build.failed')).toEqual({ app: 'hello', name: 'build.failed' });
    expect(subjectFilter('image.pushed')).toBe('gitops.v1.*.image.pushed');
  });

  it.each(['gitops.v2.hello.build.failed', 'gitops.v1.hello.build', 'gitops.v1.hello.build.exploded'])(
    'does not parse %s',
    (subject) => expect(parseSubject(subject)).toBeUndefined(),
  );
});

describe('pipelineIdFor', () => {
  const move = { ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40) };

  it('maps the same ref move of an application to the same id, however often it is reported', () => {
    expect(pipelineIdFor('hello', move)).toBe(pipelineIdFor('hello', { ...move }));
    expect(pipelineIdFor('hello', move)).toMatch(/^hello-[0-9a-f]{16}$/);
  });

  it.each([
    ['another application', 'other', move],
    ['another ref', 'hello', { ...move, ref: 'refs/heads/dev' }],
    ['another before', 'hello', { ...move, before: 'c'.repeat(40) }],
    ['another after', 'hello', { ...move, after: 'c'.repeat(40) }],
  ])('gives %s another id', (_, app, other) => {
    expect(pipelineIdFor(app, other)).not.toBe(pipelineIdFor('hello', move));
  });

  it('keeps a ref that ends like a before apart from that before', () => {
    const shifted = { ...move, ref: `${move.ref}\n${move.before}`, before: '' };
    expect(pipelineIdFor('hello', shifted)).not.toBe(pipelineIdFor('hello', move));
  });
});
