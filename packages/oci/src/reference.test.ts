import { describe, expect, it } from 'vitest';
import { parseImageReference, repositoryName } from './reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it('reads host with port, path and tag', () => {
    expect(parseImageReference('127.0.0.1:5000/acme/base:1.0')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'acme/base',
      tag: '1.0',
      reference: '1.0',
    });
  });

  it('asks for the digest when a reference has both tag and digest', () => {
    const ref = parseImageReference(`registry.example.com/team/app:2@${DIGEST}`);
    expect(ref).toMatchObject({
      registry: 'registry.example.com',
      repository: 'team/app',
      tag: '2',
      digest: DIGEST,
    });
    expect(ref.reference).toBe(DIGEST);
  });

  it('expands Docker Hub shorthand to docker.io/library and latest', () => {
    expect(parseImageReference('alpine')).toEqual({
      registry: 'docker.io',
      repository: 'library/alpine',
      reference: 'latest',
    });
    expect(parseImageReference('acme/tool:2')).toMatchObject({
      registry: 'docker.io',
      repository: 'acme/tool',
    });
    expect(parseImageReference('index.docker.io/library/node:20').registry).toBe('docker.io');
  });

  it('treats localhost and dotted first components as hosts, others as paths', () => {
    expect(parseImageReference('localhost/x').registry).toBe('localhost');
    expect(parseImageReference('localhost:5000/x').repository).toBe('x');
    expect(parseImageReference('acme/x').repository).toBe('acme/x');
  });

  it('takes a bare repository (an Application image.repository) as tag latest', () => {
    const ref = parseImageReference('127.0.0.1:5000/acme/hello');
    expect(repositoryName(ref)).toBe('127.0.0.1:5000/acme/hello');
    expect(ref.tag).toBeUndefined();
    expect(ref.reference).toBe('latest');
  });

  it.each([
    ['Upper/case', 'repository path'],
    ['host.io/acme/app:bad tag', 'tag'],
    ['host.io/acme/app@sha256:short', 'digest'],
    [`a@${DIGEST}@${DIGEST}`, 'more than one @'],
  ])('refuses %s with GITOPS_OCI_BAD_REFERENCE', (ref, why) => {
    expect(() => parseImageReference(ref)).toThrow(
      expect.objectContaining({ code: 'GITOPS_OCI_BAD_REFERENCE' }),
    );
    expect(() => parseImageReference(ref)).toThrow(why);
  });
});
