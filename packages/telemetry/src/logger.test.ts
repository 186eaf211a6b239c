import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, pipelineLogger } from './logger.js';

const capture = () => {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { stream, lines };
};

describe('createLogger', () => {
  it('writes JSON lines bound to the service, app and pipeline', async () => {
    const { stream, lines } = capture();
    pipelineLogger(createLogger({ service: 'builder', destination: stream }), {
      app: 'hello',
      pipelineId: 'hello-1',
    }).info('built');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatchObject({
      service: 'builder',
      app: 'hello',
      pipelineId: 'hello-1',
      msg: 'built',
      level: 30,
    });
  });

  it('redacts signatures, tokens and passwords wherever they are logged', async () => {
    const { stream, lines } = capture();
    const logger = createLogger({ service: 'receiver', destination: stream });
    logger.info({
      req: {
        headers: { 'x-hub-signature-256': 'sha256=abc', 'x-gitlab-token': 'glt', authorization: 'Bearer t' },
      },
      registry: { password: 'hunter2', token: 'tok' },
      secret: 's3cret',
    });
    await new Promise((r) => setImmediate(r));
    const text = JSON.stringify(lines[0]);
    for (const secret of ['sha256=abc', 'glt', 'Bearer t', 'hunter2', '"tok"', 's3cret'])
      expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });
});
