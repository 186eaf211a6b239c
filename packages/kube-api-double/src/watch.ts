import type { ServerResponse } from 'node:http';
import type { Cluster } from './cluster.js';
import { present } from './present.js';
import { type ResourceType, groupVersionOf } from './resources.js';
import { fieldMatcher, labelMatcher } from './selectors.js';
import { ApiError, failureStatus } from './status.js';
import type { StoreEvent } from './store.js';
import type { KubeObject } from './types.js';

export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  bookmarkIntervalMs: number;
}

/**
 * A watch: newline-delimited JSON events. Without a resourceVersion (or "0") it starts with an ADDED event per
 * existing object; with one it replays the changes after it, or answers an ERROR event with a 410 Expired
 * Status when that version is older than the change log. A modification that moves an object into or out of
 * the selector is sent as ADDED or DELETED, as the real server does.
 */
export function serveWatch(res: ServerResponse, cluster: Cluster, req: WatchRequest): void {
  const { type } = req;
  const labels = labelMatcher(req.labelSelector);
  const fields = fieldMatcher(req.fieldSelector);
  const matches = (obj: KubeObject | undefined) =>
    obj !== undefined &&
    (req.namespace === undefined || obj.metadata.namespace === req.namespace) &&
    labels(obj) &&
    fields(obj);
  const from = req.resourceVersion;
  if (from !== undefined && !/^\d*$/.test(from)) {
    throw new ApiError(
      400,
      'BadRequest',
      `resourceVersion: Invalid value: "${from}": must be an unsigned integer`,
    );
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const send = (eventType: string, object: unknown) =>
    res.write(`${JSON.stringify({ type: eventType, object })}\n`);

  const forward = (event: StoreEvent) => {
    if (event.group !== type.group || event.kind !== type.kind) return;
    const now = matches(event.object);
    const before = event.type === 'MODIFIED' && matches(event.previous);
    let eventType: string | undefined = event.type;
    if (event.type === 'MODIFIED')
      eventType = now && before ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
    else if (!now) eventType = undefined;
    if (eventType) send(eventType, present(event.object, type));
  };

  if (from === undefined || from === '' || from === '0') {
    for (const obj of cluster.store.list({ group: type.group, kind: type.kind }))
      if (matches(obj)) send('ADDED', present(obj, type));
  } else {
    const changes = cluster.store.changesSince(Number(from));
    if (changes === 'gone') {
      send(
        'ERROR',
        failureStatus(410, 'Expired', `too old resource version: ${from} (${cluster.store.resourceVersion})`),
      );
      res.end();
      return;
    }
    for (const event of changes) forward(event);
  }
  const unsubscribe = cluster.store.subscribe(forward);
  const timers: NodeJS.Timeout[] = [];
  if (req.allowWatchBookmarks) {
    const bookmark = () =>
      send('BOOKMARK', {
        kind: type.kind,
        apiVersion: groupVersionOf(type),
        metadata: { resourceVersion: String(cluster.store.resourceVersion) },
      });
    timers.push(setInterval(bookmark, req.bookmarkIntervalMs));
  }
  if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 0) {
    timers.push(setTimeout(() => res.end(), req.timeoutSeconds * 1000));
  }
  res.on('close', () => {
    unsubscribe();
    for (const timer of timers) clearTimeout(timer);
  });
}
