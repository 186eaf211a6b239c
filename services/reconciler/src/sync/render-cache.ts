import type { KubeObject } from '../manifests/objects.js';
import { type RenderRequest, render } from '../manifests/render.js';

/** Rendering cached by config commit and path: a resync of an unchanged commit runs no kustomize. */
export class RenderCache {
  readonly #entries = new Map<string, Promise<KubeObject[]>>();

  constructor(
    private readonly options: Pick<RenderRequest, 'kustomize' | 'maxBytes'>,
    private readonly size = 256,
  ) {}

  render(root: string, path: string, commit: string): Promise<KubeObject[]> {
    const key = `${commit}:${path}`;
    const cached = this.#entries.get(key);
    if (cached) return cached.then((objects) => structuredClone(objects));
    const rendered = render({ root, path, ...this.options });
    this.#entries.set(key, rendered);
    rendered.catch(() => this.#entries.delete(key));
    if (this.#entries.size > this.size) this.#entries.delete(this.#entries.keys().next().value!);
    return rendered.then((objects) => structuredClone(objects));
  }
}
