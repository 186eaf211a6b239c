import { describe, expect, it } from 'vitest';
import { registryFor } from './registry-for.js';

describe('registryFor', () => {
  const env = { REGISTRY_URL: 'http://127.0.0.1:5000', REGISTRY_USERNAME: 'ci', REGISTRY_PASSWORD: 's3cret' };

  it('uses REGISTRY_URL’s scheme and credentials for an image on its host', () => {
    const { client, repository } = registryFor('127.0.0.1:5000/acme/hello', env);
    expect(repository).toBe('acme/hello');
    expect(client.options.url).toBe('http://127.0.0.1:5000');
    expect(client.options.credentials).toEqual({ username: 'ci', password: 's3cret' });
  });

  it('uses HTTPS and no credentials for any other host', () => {
    const { client, ref } = registryFor(`registry.example.com/team/base:1.0@sha256:${'b'.repeat(64)}`, env);
    expect(client.options.url).toBe('https://registry.example.com');
    expect(client.options.credentials).toBeUndefined();
    expect(ref.reference).toBe(`sha256:${'b'.repeat(64)}`);
  });

  it('sends Docker Hub names to its API host', () => {
    const { client, repository } = registryFor('alpine:3', env);
    expect(client.options.url).toBe('https://registry-1.docker.io');
    expect(repository).toBe('library/alpine');
  });

  it('matches REGISTRY_URL’s host when an image names its default port', () => {
    const { client } = registryFor('registry.example.com:443/acme/app', {
      REGISTRY_URL: 'https://registry.example.com',
    });
    expect(client.options.url).toBe('https://registry.example.com');
  });

  it('shares one client per registry for callers passing the same env', () => {
    expect(registryFor('127.0.0.1:5000/a/b', env).client).toBe(registryFor('127.0.0.1:5000/c', env).client);
    expect(registryFor('127.0.0.1:5000/a/b', env).client).not.toBe(
      registryFor('127.0.0.1:5000/a/b', { ...env }).client,
    );
  });

  it('names REGISTRY_URL when it is not an http(s) URL', () => {
    expect(() => registryFor('x.io/a', { REGISTRY_URL: 'ftp://x' })).toThrow(/REGISTRY_URL/);
  });
});
