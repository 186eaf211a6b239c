import { STREAM_NAME, encodeEvent, eventNameOfType, subjectFor } from '@gitops/contracts';
import {
  type NatsServer,
  buildFailed,
  buildStarted,
  sourceReceived,
  startNatsServer,
  uniqueApp,
} from '@gitops/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tail } from './tail.js';

describe('gitops tail', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  const printed: string[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await (await jetstreamManager(nc)).streams.add({ name: STREAM_NAME, subjects: ['gitops.v1.>'] });
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await nc?.close();
    await nats?.dispose();
  });

  const publishPipeline = async (app: string) => {
    const source = sourceReceived(app);
    for (const event of [source, buildStarted(source), buildFailed(source, 'tests failed')]) {
      await jetstream(nc).publish(subjectFor(app, eventNameOfType(event.type)!), encodeEvent(event));
    }
    return source;
  };

  it('prints stored events of one application, one line each, and exits 0 after --count', async () => {
    const app = uniqueApp();
    const source = await publishPipeline(app);
    printed.length = 0;
    const code = await tail({
      servers: [nats.url],
      subject: `${app}.>`,
      fromStart: true,
      count: 2,
      json: false,
    });
    expect(code).toBe(0);
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain(`gitops.v1.${app}.source.received ${source.data.pipelineId} branch=main`);
  });

  it('stops at an --until event and exits 1 when it is a failure', async () => {
    const app = uniqueApp();
    await publishPipeline(app);
    printed.length = 0;
    const code = await tail({
      servers: [nats.url],
      subject: `${app}.>`,
      fromStart: true,
      until: ['image.pushed', 'build.failed'],
      json: false,
    });
    expect(code).toBe(1);
    expect(printed.at(-1)).toContain('build.failed');
  });

  it('exits 1 when --timeout passes before enough events arrive', async () => {
    const code = await tail({
      servers: [nats.url],
      subject: `${uniqueApp()}.>`,
      fromStart: false,
      count: 1,
      timeoutMs: 300,
      json: false,
    });
    expect(code).toBe(1);
  });
});
