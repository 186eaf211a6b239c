import { MediaTypes } from '@gitops/oci';
import { describe, expect, it, vi } from 'vitest';
import { type BuildRecords, DurableBuildNumbers } from './build-numbers.js';
import type { AttachedArtifact, BuildCounter, NumberedBuild } from './ports.js';
import { provenanceArtifact } from './provenance.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = `sha256:${'d'.repeat(64)}`;
const OTHER = `sha256:${'0'.repeat(64)}`;
const build = (pipelineId: string, digest = DIGEST): NumberedBuild => ({
  app: 'hello',
  pipelineId,
  repository: '127.0.0.1:5000/acme/hello',
  digest,
  branch: 'main',
  commit: SHA,
});

/** Redis's script, in memory: what the counter promises, without the atomicity. */
function memoryCounter(): BuildCounter & { value: () => number; forget: () => void } {
  let counter = 0;
  let memo = new Map<string, number>();
  return {
    recall: async (_app, pipelineId) => memo.get(pipelineId),
    claim: async (_app, pipelineId, { floor, recorded }) => {
      const known = memo.get(pipelineId);
      if (known !== undefined) return known;
      counter = Math.max(counter, floor, recorded ?? 0);
      const n = recorded ?? ++counter;
      memo.set(pipelineId, n);
      return n;
    },
    value: () => counter,
    forget: () => {
      counter = 0;
      memo = new Map();
    },
  };
}

/** The provenance a push of `pipelineId` under `buildNumber` attaches, as the registry gives it back. */
const provenanceOf = (pipelineId: string, buildNumber: number): AttachedArtifact => {
  const { mediaType, bytes } = provenanceArtifact({
    image: { name: '127.0.0.1:5000/acme/hello', digest: DIGEST },
    builderId: 'https://builder.test',
    app: 'hello',
    pipelineId,
    buildNumber,
    commit: SHA,
    source: { repoURL: 'http://git.test/hello.git', ref: 'refs/heads/main', branch: 'main' },
    steps: [],
    baseImages: [],
    startedOn: '2026-11-27T05:00:00.000Z',
    finishedOn: '2026-11-27T05:00:01.000Z',
  });
  return { mediaType, bytes };
};

function fakeRegistry(tags: Record<string, string>, attached: AttachedArtifact[] = []) {
  const records: BuildRecords = {
    tags: vi.fn(async () => Object.keys(tags)),
    tagDigest: vi.fn(async (_repo: string, tag: string) => tags[tag]),
    attachments: vi.fn(async () => attached),
  };
  return records;
}

describe('durable build numbers', () => {
  it('continues from the highest number in the registry when Redis has lost its counter', async () => {
    const counter = memoryCounter();
    const registry = fakeRegistry({ 'main-aaaaaaa-23': OTHER, 'fix-bbbbbbb-21': OTHER, 'sha-x': OTHER });
    const numbers = new DurableBuildNumbers(counter, registry);
    expect(await numbers.allocate(build('p1'))).toBe(24);
    expect(await numbers.allocate(build('p2'))).toBe(25);
  });

  it('answers a pipeline Redis remembers without asking the registry', async () => {
    const counter = memoryCounter();
    const registry = fakeRegistry({});
    const numbers = new DurableBuildNumbers(counter, registry);
    const first = await numbers.allocate(build('p1'));
    vi.mocked(registry.tags).mockClear();
    expect(await numbers.allocate(build('p1'))).toBe(first);
    expect(registry.tags).not.toHaveBeenCalled();
  });

  it('gives a replay the number its provenance records, even when a rebuild of the commit got another', async () => {
    const counter = memoryCounter();
    const registry = fakeRegistry(
      { 'main-0123456-4': DIGEST, 'main-0123456-6': DIGEST, 'main-9999999-7': OTHER },
      [provenanceOf('p1', 4), provenanceOf('p2', 6)],
    );
    const numbers = new DurableBuildNumbers(counter, registry);
    expect(await numbers.allocate(build('p2'))).toBe(6);
    expect(await numbers.allocate(build('p1'))).toBe(4);
    expect(counter.value()).toBe(7);
    expect(await numbers.allocate(build('p3'))).toBe(8);
  });

  it('adopts a version tag at the image that no provenance claims: a push that stopped before attaching', async () => {
    const registry = fakeRegistry({ 'main-0123456-4': DIGEST, 'main-0123456-5': DIGEST }, [
      provenanceOf('p1', 4),
    ]);
    const numbers = new DurableBuildNumbers(memoryCounter(), registry);
    expect(await numbers.allocate(build('p2'))).toBe(5);
  });

  it('allocates anew when this commit’s tags are all claimed or point at another image', async () => {
    const registry = fakeRegistry({ 'main-0123456-4': DIGEST, 'main-0123456-5': OTHER }, [
      provenanceOf('p1', 4),
    ]);
    const numbers = new DurableBuildNumbers(memoryCounter(), registry);
    expect(await numbers.allocate(build('p2'))).toBe(6);
  });

  it('reads no provenance when this branch and commit have no version tag yet', async () => {
    const registry = fakeRegistry({ 'main-aaaaaaa-2': OTHER });
    const numbers = new DurableBuildNumbers(memoryCounter(), registry);
    expect(await numbers.allocate(build('p1'))).toBe(3);
    expect(registry.attachments).not.toHaveBeenCalled();
  });

  it('passes over attestations that are not this platform’s provenance', async () => {
    const foreign = { mediaType: MediaTypes.inTotoStatement, bytes: Buffer.from('{"predicate":{}}') };
    const garbage = { mediaType: MediaTypes.dsseEnvelope, bytes: Buffer.from('not json') };
    const registry = fakeRegistry({ 'main-0123456-4': DIGEST }, [foreign, garbage, provenanceOf('p1', 4)]);
    const numbers = new DurableBuildNumbers(memoryCounter(), registry);
    expect(await numbers.allocate(build('p1'))).toBe(4);
  });
});
