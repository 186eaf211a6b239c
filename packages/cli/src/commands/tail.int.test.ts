import { STREAM_NAME, encodeEvent, eventNameOfType, subjectFor } from '@gitops/contracts';
import {
  type NatsServer,
  buildFailed,
  buildStarted,
  platformNatsUsers,
  sourceReceived,
  startNatsServer,
  uniqueApp,
} from '@gitops/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitops } from '../test/run.js';

describe('gitops tail', () => {
  let nats: NatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await (await jetstreamManager(nc)).streams.add({ name: STREAM_NAME, subjects: ['gitops.v1.>'] });
  });
  afterAll(async () => {
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
  const lines = (text: string) => text.split('\n').filter(Boolean);

  it('prints stored events of one application, one line each, and exits 0 after --count', async () => {
    const app = uniqueApp();
    const source = await publishPipeline(app);
    const run = await gitops(['tail', `${app}.>`, '--from-start', '--count', '2', '--nats-url', nats.url]);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toHaveLength(2);
    expect(lines(run.stdout)[0]).toContain(
      `gitops.v1.${app}.source.received ${source.data.pipelineId} branch=main`,
    );
  });

  it('stops at an --until event and exits 1 when it is a failure', async () => {
    const app = uniqueApp();
    await publishPipeline(app);
    const run = await gitops(['tail', '--app', app, '--from-start', '--until', 'image.pushed,build.failed'], {
      env: { NATS_URL: nats.url },
    });
    expect(run.code).toBe(1);
    expect(lines(run.stdout)).toHaveLength(3);
    expect(lines(run.stdout).at(-1)).toContain('build.failed');
  });

  it('prints only the events of --pipeline, as JSON lines with -o json', async () => {
    const app = uniqueApp();
    await publishPipeline(app);
    const wanted = await publishPipeline(app);
    const run = await gitops([
      'tail',
      '--app',
      app,
      '--pipeline',
      wanted.data.pipelineId,
      '--from-start',
      '--count',
      '3',
      '-o',
      'json',
      '--nats-url',
      nats.url,
    ]);
    expect(run.code).toBe(0);
    const events = lines(run.stdout).map((line) => JSON.parse(line));
    expect(events.map((event) => event.type)).toEqual([
      wanted.type,
      buildStarted(wanted).type,
      buildFailed(wanted, '').type,
    ]);
    expect(events.every((event) => event.data.pipelineId === wanted.data.pipelineId)).toBe(true);
  });

  it('exits 1 when --timeout passes before enough events arrive', async () => {
    const run = await gitops(['tail', `${uniqueApp()}.>`, '--count', '1', '--timeout', '300ms'], {
      env: { NATS_URL: nats.url },
    });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gitops tail: --timeout 300ms passed after 0 event(s)\n',
    });
  });

  it("follows events on a NATS with the platform's users, as the read-only viewer", async () => {
    const users = platformNatsUsers();
    const secured = await startNatsServer({ config: users.config, env: users.env });
    try {
      const admin = await connect({
        servers: `127.0.0.1:${secured.port}`,
        user: 'admin',
        pass: users.passwordOf('admin'),
      });
      await (await jetstreamManager(admin)).streams.add({ name: STREAM_NAME, subjects: ['gitops.v1.>'] });
      const source = sourceReceived(uniqueApp());
      await jetstream(admin).publish(`gitops.v1.${source.data.app}.source.received`, encodeEvent(source));
      await admin.close();
      const viewer = secured.urlAs('viewer', users.passwordOf('viewer'));
      const run = await gitops(['tail', '--from-start', '--count', '1', '--timeout', '10s'], {
        env: { NATS_URL: viewer },
      });
      expect(run.stderr).toBe('');
      expect(lines(run.stdout)[0]).toContain(`gitops.v1.${source.data.app}.source.received`);
      const refused = await gitops(['tail', '--nats-url', secured.urlAs('viewer', 'wrong-password')]);
      expect(refused).toEqual({
        code: 1,
        stdout: '',
        stderr: `gitops tail: cannot reach NATS at nats://127.0.0.1:${secured.port} as viewer: Authorization Violation\n`,
      });
    } finally {
      await secured.dispose();
    }
  });

  it('says in one line that NATS cannot be reached, and exits 1', async () => {
    const run = await gitops(['tail', '--nats-url', 'nats://127.0.0.1:1']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gitops tail: cannot reach NATS at nats://127.0.0.1:1: connection refused\n',
    });
  });
});
