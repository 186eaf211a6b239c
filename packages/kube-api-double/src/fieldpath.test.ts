import { describe, expect, it } from 'vitest';
import { describePath, fieldsOf, fromFieldsV1, join, removeAt, toFieldsV1, valueAt } from './fieldpath.js';
import { changedFields } from './managed.js';

const pod = {
  spec: {
    containers: [
      { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
      { name: 'proxy', image: 'envoy', args: ['-v'] },
    ],
  },
};

describe('field paths', () => {
  it('renders the fieldsV1 of a config with k: keys for keyed lists and atomic scalar lists', () => {
    expect(toFieldsV1(fieldsOf(pod, true))).toEqual({
      'f:spec': {
        'f:containers': {
          'k:{"name":"proxy"}': { '.': {}, 'f:args': {}, 'f:image': {}, 'f:name': {} },
          'k:{"name":"web"}': {
            '.': {},
            'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
      },
    });
  });

  it('treats lists atomically for custom resources and round-trips through fieldsV1', () => {
    const fields = fieldsOf(pod, false);
    expect([...fields]).toEqual([join(['f:spec', 'f:containers'])]);
    const keyed = fieldsOf(pod, true);
    expect(fromFieldsV1(toFieldsV1(keyed))).toEqual(keyed);
  });

  it('reads, describes and removes values by path', () => {
    const path = join(['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image']);
    expect(valueAt(pod, path)).toBe('nginx');
    expect(describePath(path)).toBe('.spec.containers[name="web"].image');
    const copy = structuredClone(pod);
    removeAt(copy, join(['f:spec', 'f:containers', 'k:{"name":"proxy"}']), () => false);
    expect(copy.spec.containers.map((c) => c.name)).toEqual(['web']);
  });

  it('finds changed and removed fields between two versions', () => {
    const after = structuredClone(pod);
    after.spec.containers[0]!.image = 'nginx:2';
    after.spec.containers.pop();
    const { changed, removed } = changedFields(pod, after, true);
    expect([...changed].map(describePath)).toEqual(['.spec.containers[name="web"].image']);
    expect([...removed].map(describePath).sort()).toEqual([
      '.spec.containers[name="proxy"]',
      '.spec.containers[name="proxy"].args',
      '.spec.containers[name="proxy"].image',
      '.spec.containers[name="proxy"].name',
    ]);
  });
});
