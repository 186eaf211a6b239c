import { TEST_SHA, testApplication } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import type { Bump } from '../ports.js';
import { REPOSITORY, digestOf } from '../test/config-repo.js';
import { type Pending, commitMessage, takeRound } from './rounds.js';

const app = testApplication('hello', {
  environments: [
    { name: 'dev', path: 'envs/dev' },
    { name: 'prod', path: 'envs/prod', branch: 'prod' },
  ],
});
const [dev, prod] = app.config.environments as [
  (typeof app.config.environments)[0],
  (typeof app.config.environments)[0],
];
const bump = (n: number, extra: Partial<Bump> = {}): Bump => ({
  app,
  environment: dev,
  pin: { repository: REPOSITORY, digest: digestOf(n), tag: `main-abc1234-${n}` },
  pipelineId: `p-${n}`,
  commit: TEST_SHA,
  ...extra,
});
const pending = (bumps: Bump[]): Pending[] =>
  bumps.map((b) => ({ bump: b, resolve: () => {}, reject: () => {} }));

describe('rounds of queued bumps', () => {
  it('takes every bump of the oldest one’s branch, grouped by environment and kind, in arrival order', () => {
    const queue = pending([
      bump(1),
      bump(2, { environment: prod }),
      bump(3),
      bump(4, { promotedFrom: 'dev' }),
      bump(5),
    ]);
    const round = takeRound(queue)!;
    expect(round.branch).toBe('main');
    expect(round.groups.map((g) => g.map((p) => p.bump.pipelineId))).toEqual([
      ['p-1', 'p-3', 'p-5'],
      ['p-4'],
    ]);
    expect(queue.map((p) => p.bump.pipelineId)).toEqual(['p-2']);
    expect(takeRound(queue)?.branch).toBe('prod');
    expect(takeRound(queue)).toBeUndefined();
  });

  it('writes the last bump’s image and names every batched pipeline', () => {
    const { message, trailers } = commitMessage([bump(1), bump(2)]);
    expect(message.split('\n')[0]).toBe(`deploy(hello/dev): ${REPOSITORY}@${digestOf(2)}`);
    expect(trailers).toEqual({
      'Pipeline-Id': 'p-2',
      'Source-Commit': TEST_SHA,
      'Source-Repo': 'http://git.test/acme/hello.git',
      'Image-Tag': 'main-abc1234-2',
      'Batched-Pipelines': 'p-1 p-2',
    });
  });

  it('records who approved a promotion and where it came from', () => {
    const { trailers } = commitMessage([
      bump(3, { environment: prod, promotedFrom: 'dev', approvedBy: 'alice' }),
    ]);
    expect(trailers).toMatchObject({ 'Promoted-From': 'dev', 'Approved-By': 'alice' });
    expect(trailers['Batched-Pipelines']).toBeUndefined();
  });
});
