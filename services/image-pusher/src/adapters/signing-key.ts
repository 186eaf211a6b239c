import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '@gitops/errors';
import type { Signer } from '../provenance.js';

/**
 * The provenance signer from an ed25519 private key in PEM (PKCS#8), as `openssl genpkey -algorithm
 * ed25519` writes it. Its keyid is the sha256 of the public key (SPKI DER), which a verifier can recompute.
 */
export function loadSigner(file: string): Signer {
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(readFileSync(file));
  } catch (err) {
    throw new AppError(
      'GITOPS_CONFIG_INVALID',
      `PROVENANCE_SIGNING_KEY_FILE: cannot read a private key from ${file}: ${(err as Error).message}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AppError(
      'GITOPS_CONFIG_INVALID',
      `PROVENANCE_SIGNING_KEY_FILE: ${file} is a ${key.asymmetricKeyType} key, not ed25519`,
    );
  }
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return {
    keyid: `sha256:${createHash('sha256').update(spki).digest('hex')}`,
    sign: (data) => sign(null, data, key),
  };
}
