import { type V1ConfigMap, makeInformer } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { startKubeApiDouble } from './double.js';
import { doubleScope } from './test/client.js';
import type { KubeObject } from './types.js';

const scope = doubleScope();

const configMap = (
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = { app: 'shop' },
) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop', labels },
  data,
});
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name });

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function rawWatch(query: string): Promise<{ type: string; object: KubeObject }[]> {
  const response = await fetch(
    `${scope.double.url}/api/v1/namespaces/shop/configmaps?watch=true&timeoutSeconds=1&${query}`,
    {
      headers: { authorization: 'Bearer double-token' },
    },
  );
  expect(response.status).toBe(200);
  return (await response.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('watch', () => {
  it('client-node makeInformer lists, then sees ADDED, MODIFIED and DELETED', async () => {
    scope.double.put(configMap('before', { a: '1' }));
    const informer = makeInformer(
      scope.client.kc,
      '/api/v1/namespaces/shop/configmaps',
      () => scope.client.core.listNamespacedConfigMap({ namespace: 'shop', labelSelector: 'app=shop' }),
      'app=shop',
    );
    const seen: string[] = [];
    informer.on('add', (cm: V1ConfigMap) => seen.push(`add ${cm.metadata?.name}`));
    informer.on('update', (cm: V1ConfigMap) => seen.push(`update ${cm.metadata?.name} ${cm.data?.a}`));
    informer.on('delete', (cm: V1ConfigMap) => seen.push(`delete ${cm.metadata?.name}`));
    await informer.start();
    try {
      await until(() => seen.includes('add before'), 'the listed object');
      await until(() => scope.double.requests.some((r) => r.verb === 'watch'), 'the watch');
      scope.double.put(configMap('later', { a: '1' }));
      scope.double.edit(ref('later'), (cm) => {
        (cm.data as Record<string, string>).a = '2';
      });
      scope.double.put(configMap('unlabelled', { a: '1' }, { app: 'other' }));
      scope.double.remove(ref('later'));
      await until(() => seen.includes('delete later'), 'the delete');
      expect(seen).toEqual(['add before', 'add later', 'update later 2', 'delete later']);
      expect(informer.list('shop').map((cm) => cm.metadata?.name)).toEqual(['before']);
    } finally {
      await informer.stop();
    }
  });

  it('relists when a resumed watch answers 410 Gone', async () => {
    let lists = 0;
    const informer = makeInformer(scope.client.kc, '/api/v1/namespaces/shop/configmaps', () => {
      lists++;
      return scope.client.core.listNamespacedConfigMap({ namespace: 'shop' });
    });
    const names = new Set<string>();
    informer.on('add', (cm: V1ConfigMap) => names.add(cm.metadata!.name!));
    await informer.start();
    try {
      await until(() => scope.double.requests.some((r) => r.verb === 'watch'), 'the first watch');
      const watches = () => scope.double.requests.filter((r) => r.verb === 'watch').length;
      const before = watches();
      scope.double.put(configMap('seen-live', { a: '1' }));
      await until(() => names.has('seen-live'), 'the new object');
      // End the watch: the informer resumes from its resourceVersion, now too old, gets 410 and relists.
      scope.double.compact();
      scope.double.closeWatches();
      await until(() => lists >= 2, 'a relist');
      scope.double.put(configMap('after-relist', { a: '1' }));
      await until(() => names.has('after-relist'), 'the object after the relist');
      expect(watches()).toBeGreaterThan(before);
    } finally {
      await informer.stop();
    }
  });

  it('an informer restarted on error reconnects after an outage', async () => {
    const informer = makeInformer(scope.client.kc, '/api/v1/namespaces/shop/configmaps', () =>
      scope.client.core.listNamespacedConfigMap({ namespace: 'shop' }),
    );
    const names = new Set<string>();
    let errors = 0;
    informer.on('add', (cm: V1ConfigMap) => names.add(cm.metadata!.name!));
    informer.on('error', () => {
      errors++;
      setTimeout(() => informer.start().catch(() => {}), 100);
    });
    await informer.start();
    try {
      await scope.double.down();
      await until(() => errors > 0, 'an error during the outage');
      scope.double.put(configMap('during-outage', { a: '1' }));
      await scope.double.up();
      await until(() => names.has('during-outage'), 'the object written during the outage');
    } finally {
      await informer.stop();
    }
  });

  it('answers an ERROR event with a 410 Expired Status for a too-old resourceVersion', async () => {
    const old = scope.double.resourceVersion();
    scope.double.put(configMap('x1', { a: '1' }));
    scope.double.compact();
    const events = await rawWatch(`resourceVersion=${Number(old) - 1}`);
    expect(events).toEqual([
      { type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }) },
    ]);
  });

  it('replays changes after a resourceVersion and filters by selector', async () => {
    scope.double.put(configMap('r0', { a: '1' }));
    const from = scope.double.resourceVersion();
    scope.double.put(configMap('r1', { a: '1' }));
    scope.double.put(configMap('r2', { a: '1' }, { app: 'other' }));
    scope.double.edit(ref('r1'), (cm) => {
      cm.metadata.labels = { app: 'gone' };
    });
    const events = await rawWatch(`resourceVersion=${from}&labelSelector=app%3Dshop`);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED r1', 'DELETED r1']);
    expect(events[0]!.object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
  });

  it('starts with ADDED for every existing object without a resourceVersion', async () => {
    const events = await rawWatch('fieldSelector=metadata.name%3Dbefore');
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED before']);
  });
});

describe('bookmarks', () => {
  it('sends BOOKMARK events with the current resourceVersion when allowed', async () => {
    const quick = await startKubeApiDouble({ bookmarkIntervalMs: 100 });
    try {
      const response = await fetch(
        `${quick.url}/api/v1/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=1`,
        {
          headers: { authorization: 'Bearer double-token' },
        },
      );
      const events = (await response.text())
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      expect(events.length).toBeGreaterThan(3);
      expect(events[0]).toEqual({
        type: 'BOOKMARK',
        object: {
          kind: 'ConfigMap',
          apiVersion: 'v1',
          metadata: { resourceVersion: quick.resourceVersion() },
        },
      });
    } finally {
      await quick.stop();
    }
  });
});

describe('watch parameters', () => {
  it('refuses a resourceVersion that is not a number', async () => {
    const response = await fetch(`${scope.double.url}/api/v1/configmaps?watch=true&resourceVersion=abc`, {
      headers: { authorization: 'Bearer double-token' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });
});
