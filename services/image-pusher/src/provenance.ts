import { type KeyObject, verify } from 'node:crypto';
import { MediaTypes } from '@gitops/oci';

export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** What this platform's builds are, for a verifier choosing how to read `externalParameters`. */
export const BUILD_TYPE = 'https://gitops.platform/build-types/pipeline/v1';

export interface ProvenanceInput {
  /** The image: `host/repository` and its manifest digest. */
  image: { name: string; digest: string };
  builderId: string;
  app: string;
  pipelineId: string;
  buildNumber: number;
  commit: string;
  source: { repoURL: string; ref: string; branch: string };
  steps: { name: string; status: string; durationMs: number; exitCode?: number }[];
  baseImages: { name: string; digest: string }[];
  startedOn: string;
  finishedOn: string;
}

const sha256Of = (digest: string) => ({ sha256: digest.replace(/^sha256:/, '') });

/**
 * An in-toto v1 statement with a SLSA v1 provenance predicate: which source commit, which base images and
 * which steps made the image, on which builder. A function of the build event alone, so a replayed push
 * yields the same bytes (and, ed25519 being deterministic, the same signature).
 */
export function provenanceStatement(input: ProvenanceInput) {
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: input.image.name, digest: sha256Of(input.image.digest) }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: BUILD_TYPE,
        externalParameters: { app: input.app, source: { ...input.source, commit: input.commit } },
        internalParameters: {
          pipelineId: input.pipelineId,
          buildNumber: input.buildNumber,
          steps: input.steps,
        },
        resolvedDependencies: [
          { uri: `git+${input.source.repoURL}@${input.source.ref}`, digest: { gitCommit: input.commit } },
          ...input.baseImages.map((b) => ({ uri: `oci://${b.name}`, digest: sha256Of(b.digest) })),
        ],
      },
      runDetails: {
        builder: { id: input.builderId },
        metadata: {
          invocationId: input.pipelineId,
          startedOn: input.startedOn,
          finishedOn: input.finishedOn,
        },
      },
    },
  };
}

/** Signs bytes; `keyid` names the key in the envelope (the sha256 of its public key, SPKI DER). */
export interface Signer {
  keyid: string;
  sign(data: Buffer): Buffer;
}

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** DSSE's pre-authentication encoding: what is signed, so a signature cannot be replayed on another type. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType);
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload,
  ]);
}

export function dsseEnvelope(payloadType: string, payload: Buffer, signer: Signer): DsseEnvelope {
  return {
    payloadType,
    payload: payload.toString('base64'),
    signatures: [{ keyid: signer.keyid, sig: signer.sign(pae(payloadType, payload)).toString('base64') }],
  };
}

/** Whether one of the envelope's signatures verifies with this public key (ed25519). */
export function verifyEnvelope(envelope: DsseEnvelope, publicKey: KeyObject): boolean {
  const signed = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  return envelope.signatures.some((s) => verify(null, signed, publicKey, Buffer.from(s.sig, 'base64')));
}

/** The provenance as an artifact to attach: the bare statement, or a DSSE envelope around it when signed. */
export function provenanceArtifact(input: ProvenanceInput, signer?: Signer) {
  const statement = Buffer.from(JSON.stringify(provenanceStatement(input)));
  if (!signer) {
    return {
      artifactType: MediaTypes.inTotoStatement,
      mediaType: MediaTypes.inTotoStatement,
      bytes: statement,
      signed: false,
    };
  }
  const envelope = dsseEnvelope(MediaTypes.inTotoStatement, statement, signer);
  return {
    artifactType: MediaTypes.inTotoStatement,
    mediaType: MediaTypes.dsseEnvelope,
    bytes: Buffer.from(JSON.stringify(envelope)),
    signed: true,
  };
}

/** The statement inside an attached artifact (bare or in a DSSE envelope), or undefined for anything else. */
function statementOf(artifact: { mediaType: string; bytes: Buffer }): unknown {
  try {
    const parsed = JSON.parse(artifact.bytes.toString('utf8'));
    if (artifact.mediaType === MediaTypes.inTotoStatement) return parsed;
    if (artifact.mediaType !== MediaTypes.dsseEnvelope) return undefined;
    return JSON.parse(Buffer.from((parsed as DsseEnvelope).payload, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Which pipeline pushed an image under which build number, as this platform's provenance attached to it
 * records (pipelineId → buildNumber). Signatures are not checked: this only finds numbers already given,
 * and other tools' attestations under the same tag are passed over.
 */
export function provenanceClaims(artifacts: { mediaType: string; bytes: Buffer }[]): Map<string, number> {
  const claims = new Map<string, number>();
  for (const artifact of artifacts) {
    const statement = statementOf(artifact) as ReturnType<typeof provenanceStatement> | undefined;
    const definition = statement?.predicate?.buildDefinition;
    if (definition?.buildType !== BUILD_TYPE) continue;
    const { pipelineId, buildNumber } = definition.internalParameters ?? {};
    if (typeof pipelineId === 'string' && Number.isSafeInteger(buildNumber))
      claims.set(pipelineId, buildNumber);
  }
  return claims;
}
