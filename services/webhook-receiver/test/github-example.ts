import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const examples: { name: string; examples: Record<string, unknown>[] }[] = JSON.parse(
  readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'),
);

export const githubExamples = (event: string) => examples.find((e) => e.name === event)?.examples ?? [];

/** GitHub's documented push to refs/heads/master of Codertocat/Hello-World: a real ~8 KB payload. */
export const githubBranchPush = githubExamples('push').find(
  (p) => p.ref === 'refs/heads/master' && !p.deleted,
)!;

export const sign = (secret: string, body: string | Buffer) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export function githubHeaders(secret: string, body: string, delivery: string, event = 'push') {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': sign(secret, body),
  };
}
