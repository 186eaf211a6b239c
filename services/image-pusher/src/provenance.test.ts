import { generateKeyPairSync } from 'node:crypto';
import { sign } from 'node:crypto';
import { MediaTypes } from '@gitops/oci';
import { describe, expect, it } from 'vitest';
import {
  type DsseEnvelope,
  type ProvenanceInput,
  pae,
  provenanceArtifact,
  provenanceClaims,
  provenanceStatement,
  verifyEnvelope,
} from './provenance.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const BASE = `sha256:${'b'.repeat(64)}`;
const input: ProvenanceInput = {
  image: { name: '127.0.0.1:5000/acme/hello', digest: DIGEST },
  builderId: 'https://gitops.platform/image-builder/v1',
  app: 'hello',
  pipelineId: 'hello-1',
  buildNumber: 7,
  commit: 'a'.repeat(40),
  source: { repoURL: 'http://git.test/acme/hello.git', ref: 'refs/heads/main', branch: 'main' },
  steps: [{ name: 'test', status: 'succeeded', durationMs: 5, exitCode: 0 }],
  baseImages: [{ name: '127.0.0.1:5000/acme/base:1.0', digest: BASE }],
  startedOn: '2026-11-27T04:59:48.000Z',
  finishedOn: '2026-11-27T05:00:00.000Z',
};
const keys = generateKeyPairSync('ed25519');
const signer = { keyid: 'test-key', sign: (data: Buffer) => sign(null, data, keys.privateKey) };

describe('provenance', () => {
  it('states the image as subject with a SLSA v1 predicate of builder, source commit, steps and base images', () => {
    const statement = provenanceStatement(input);
    expect(statement).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: '127.0.0.1:5000/acme/hello', digest: { sha256: 'c'.repeat(64) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: {
          externalParameters: { app: 'hello', source: { ...input.source, commit: input.commit } },
          internalParameters: { pipelineId: 'hello-1', buildNumber: 7, steps: input.steps },
          resolvedDependencies: [
            {
              uri: 'git+http://git.test/acme/hello.git@refs/heads/main',
              digest: { gitCommit: input.commit },
            },
            { uri: 'oci://127.0.0.1:5000/acme/base:1.0', digest: { sha256: 'b'.repeat(64) } },
          ],
        },
        runDetails: { builder: { id: input.builderId }, metadata: { invocationId: 'hello-1' } },
      },
    });
  });

  it('attaches the bare statement when no key is configured', () => {
    const artifact = provenanceArtifact(input);
    expect(artifact).toMatchObject({ mediaType: MediaTypes.inTotoStatement, signed: false });
    expect(JSON.parse(artifact.bytes.toString())).toEqual(provenanceStatement(input));
  });

  it('wraps it in a DSSE envelope whose signature verifies with the public key, and only for these bytes', () => {
    const artifact = provenanceArtifact(input, signer);
    expect(artifact).toMatchObject({
      mediaType: MediaTypes.dsseEnvelope,
      artifactType: MediaTypes.inTotoStatement,
      signed: true,
    });
    const envelope = JSON.parse(artifact.bytes.toString()) as DsseEnvelope;
    expect(envelope.payloadType).toBe(MediaTypes.inTotoStatement);
    expect(envelope.signatures[0]?.keyid).toBe('test-key');
    expect(JSON.parse(Buffer.from(envelope.payload, 'base64').toString())).toEqual(
      provenanceStatement(input),
    );
    expect(verifyEnvelope(envelope, keys.publicKey)).toBe(true);

    const tampered = { ...envelope, payload: Buffer.from('{"_type":"forged"}').toString('base64') };
    expect(verifyEnvelope(tampered, keys.publicKey)).toBe(false);
    expect(verifyEnvelope(envelope, generateKeyPairSync('ed25519').publicKey)).toBe(false);
  });

  it('produces the same bytes for the same build, so a replay attaches nothing new', () => {
    expect(provenanceArtifact(input, signer).bytes).toEqual(provenanceArtifact(input, signer).bytes);
  });

  it('encodes DSSE’s PAE with byte lengths', () => {
    expect(pae('t/x', Buffer.from('héllo')).toString()).toBe('DSSEv1 3 t/x 6 héllo');
  });

  it('reads back which pipeline got which build number, from signed and unsigned provenance', () => {
    const signed = provenanceArtifact(input, signer);
    const bare = provenanceArtifact({ ...input, pipelineId: 'hello-2', buildNumber: 9 });
    expect(provenanceClaims([signed, bare])).toEqual(
      new Map([
        ['hello-1', 7],
        ['hello-2', 9],
      ]),
    );
  });
});
