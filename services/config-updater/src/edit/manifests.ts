import { type Document, type Scalar, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { type ImagePin, type ImageRef, formatImageRef, parseImageRef } from './image-ref.js';
import { type TextEdit, applyEdits, rootMap, scalarText, stringOf, valueAt } from './yaml-text.js';

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATH: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const CONTAINER_LISTS = ['initContainers', 'containers'];

/** The `image:` scalars of every container and initContainer of the workloads in the documents. */
function imageScalars(docs: Document[]): Scalar[] {
  const found: Scalar[] = [];
  for (const doc of docs) {
    const root = rootMap(doc);
    const path = POD_SPEC_PATH[stringOf(valueAt(root, 'kind')) ?? ''];
    if (!root || !path) continue;
    const podSpec = path.reduce<unknown>((node, key) => valueAt(node, key), root);
    for (const list of CONTAINER_LISTS) {
      const containers = valueAt(podSpec, list);
      if (!isSeq(containers)) continue;
      for (const container of containers.items) {
        const image = isMap(container) ? valueAt(container, 'image') : undefined;
        if (isScalar(image) && typeof image.value === 'string') found.push(image);
      }
    }
  }
  return found;
}

function parseDocs(text: string, file: string): Document[] {
  const docs = parseAllDocuments(text) as Document[];
  const broken = docs.find((doc) => doc.errors.length > 0);
  if (broken) throw new Error(`${file} is not valid YAML: ${broken.errors[0]?.message}`);
  return docs;
}

/**
 * Pins every container image of the repository in a (multi-document) manifest file to the digest,
 * keeping the version tag beside it; answers the text unchanged when none refers to the repository.
 */
export function setManifestImages(text: string, pin: ImagePin, file = 'the manifest'): string {
  const edits: TextEdit[] = [];
  for (const image of imageScalars(parseDocs(text, file))) {
    const ref = parseImageRef(String(image.value));
    if (ref.repository !== pin.repository || !image.range) continue;
    const tag = pin.tag ?? ref.tag;
    const pinned = formatImageRef({
      repository: pin.repository,
      ...(tag ? { tag } : {}),
      digest: pin.digest,
    });
    if (pinned !== image.value) {
      edits.push({ start: image.range[0], end: image.range[1], text: scalarText(pinned, image.type) });
    }
  }
  return applyEdits(text, edits);
}

/** The images of the repository the file's workloads run. */
export function manifestImages(text: string, repository: string, file = 'the manifest'): ImageRef[] {
  return imageScalars(parseDocs(text, file))
    .map((image) => parseImageRef(String(image.value)))
    .filter((ref) => ref.repository === repository);
}
