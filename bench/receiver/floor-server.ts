// The baselines the receiver is measured against, each run as its own process:
//   publish <port> <natsUrl>  a bare fastify route that parses the same body and awaits one JetStream
//                             publish of an event-sized message: the floor for "stored durably".
//   hello <port>              a bare fastify hello-world.
import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import Fastify from 'fastify';

const [mode, port, natsUrl] = process.argv.slice(2);
const app = Fastify();
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

if (mode === 'publish') {
  const js = jetstream(await connect({ servers: natsUrl }));
  app.post('/webhooks/github', async (request, reply) => {
    const payload = JSON.parse((request.body as Buffer).toString('utf8'));
    const event = JSON.stringify({
      id: randomUUID(),
      data: { after: payload.after, headCommit: payload.head_commit, pusher: payload.pusher },
    });
    await js.publish('gitops.v1.bench.source.received', event, { msgID: randomUUID() });
    return reply.code(202).send({ stored: true });
  });
} else {
  app.post('/webhooks/github', async () => ({ hello: 'world' }));
}
await app.listen({ port: Number(port), host: '127.0.0.1' });
