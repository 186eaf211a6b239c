/** A content digest as OCI writes it. */
export type Digest = `sha256:${string}`;
