import { randomUUID } from 'node:crypto';
import { now } from './managed.js';
import type { ResourceType } from './resources.js';
import { type KubeObject, clone, deepEqual, splitApiVersion, unset } from './types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  object: KubeObject;
  /** The object before a modification, so a watch with a selector can turn it into ADDED or DELETED. */
  previous?: KubeObject;
  resourceVersion: number;
  group: string;
  kind: string;
}

const keyOf = (group: string, kind: string, namespace: string | undefined, name: string) =>
  `${group}/${kind}/${namespace ?? ''}/${name}`;

const specPart = (obj: KubeObject) => {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
};

/**
 * Every object of the double, one global resourceVersion counter (like etcd's revision) and a bounded log of
 * changes that watches replay from; a resourceVersion older than the log answers 410 Gone.
 */
export class ObjectStore {
  private objects = new Map<string, KubeObject>();
  private log: StoreEvent[] = [];
  private listeners = new Set<(event: StoreEvent) => void>();
  private revision = 0;
  /** Watches may resume from this revision or a later one. */
  private oldestResumable = 0;

  constructor(private readonly historyLimit = 10_000) {}

  get resourceVersion(): number {
    return this.revision;
  }

  get(group: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(keyOf(group, kind, namespace, name));
  }

  list(filter: { group?: string; kind?: string; namespace?: string } = {}): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.objects.values()) {
      if (filter.kind !== undefined && obj.kind !== filter.kind) continue;
      if (filter.group !== undefined && splitApiVersion(obj.apiVersion).group !== filter.group) continue;
      if (filter.namespace !== undefined && obj.metadata.namespace !== filter.namespace) continue;
      out.push(obj);
    }
    return out.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    );
  }

  /**
   * Fills in the server-owned metadata of a write and stores it, unless nothing changed (no new
   * resourceVersion, no event) or it is a dry run (computed and answered, never stored).
   */
  write(type: ResourceType, previous: KubeObject | undefined, next: KubeObject, dryRun: boolean): KubeObject {
    const meta = next.metadata;
    meta.uid = previous?.metadata.uid ?? meta.uid ?? randomUUID();
    meta.creationTimestamp = previous?.metadata.creationTimestamp ?? now();
    if (previous?.metadata.resourceVersion) meta.resourceVersion = previous.metadata.resourceVersion;
    else unset(meta, 'resourceVersion');
    if (type.generation) {
      const generation = previous?.metadata.generation ?? 0;
      meta.generation =
        !previous || !deepEqual(specPart(previous), specPart(next)) ? generation + 1 : generation;
    } else unset(meta, 'generation');
    if (previous && deepEqual(previous, next)) return previous;
    if (dryRun) return next;
    meta.resourceVersion = String(++this.revision);
    this.objects.set(keyOf(type.group, type.kind, meta.namespace, meta.name), next);
    this.emit(type, previous ? 'MODIFIED' : 'ADDED', next, previous);
    return next;
  }

  remove(type: ResourceType, obj: KubeObject): KubeObject {
    const gone = clone(obj);
    gone.metadata.resourceVersion = String(++this.revision);
    this.objects.delete(keyOf(type.group, type.kind, obj.metadata.namespace, obj.metadata.name));
    this.emit(type, 'DELETED', gone);
    return gone;
  }

  /** Changes after a resourceVersion, or 'gone' when the log no longer reaches back that far. */
  changesSince(resourceVersion: number): StoreEvent[] | 'gone' {
    if (resourceVersion < this.oldestResumable) return 'gone';
    return this.log.filter((event) => event.resourceVersion > resourceVersion);
  }

  /**
   * Forgets the change log, as etcd compaction does: a watch resuming from any resourceVersion seen so far
   * (the current one included, as if another write had been compacted too) gets 410 Gone.
   */
  compact(): void {
    this.log = [];
    this.oldestResumable = this.revision + 1;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(type: ResourceType, eventType: EventType, object: KubeObject, previous?: KubeObject) {
    const event: StoreEvent = {
      type: eventType,
      object,
      ...(previous ? { previous } : {}),
      resourceVersion: this.revision,
      group: type.group,
      kind: type.kind,
    };
    this.log.push(event);
    if (this.log.length > this.historyLimit) {
      const dropped = this.log.splice(0, this.log.length - this.historyLimit);
      this.oldestResumable = dropped[dropped.length - 1]!.resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
  }
}
