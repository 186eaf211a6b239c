/** A content descriptor (OCI image spec): what a manifest or index says about a blob it points at. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  artifactType?: string;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An OCI image manifest or a Docker schema 2 manifest (the same shape). */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index or a Docker manifest list. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export const isImageIndex = (m: ImageManifest | ImageIndex): m is ImageIndex =>
  Array.isArray((m as ImageIndex).manifests);
