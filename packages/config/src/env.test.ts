import { describe, expect, it } from 'vitest';
import { ConfigError, env, loadConfig } from './env.js';
import { serviceEnv } from './service-env.js';

describe('loadConfig', () => {
  it('applies defaults, treats blank as unset and coerces values', () => {
    const config = loadConfig(serviceEnv(8080), {
      PORT: ' ',
      NATS_URL: 'nats://a:4222,nats://b:4222',
      SHUTDOWN_TIMEOUT: '5s',
    });
    expect(config.PORT).toBe(8080);
    expect(config.NATS_URL).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(config.SHUTDOWN_TIMEOUT).toBe(5000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('lists every bad or missing variable at once, naming each', () => {
    const spec = { ...serviceEnv(8080), WEBHOOK_SECRET: env.string() };
    let error: ConfigError | undefined;
    try {
      loadConfig(spec, { PORT: 'eighty', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.issues.map((i) => i.variable)).toEqual([
      'REDIS_URL',
      'PORT',
      'LOG_LEVEL',
      'WEBHOOK_SECRET',
    ]);
    expect(error?.message).toContain('PORT must be an integer from 1 to 65535 (got "eighty")');
    expect(error?.message).toContain('WEBHOOK_SECRET is required');
  });

  it.each([
    ['5MiB', 5 * 1024 * 1024],
    ['512KiB', 512 * 1024],
    ['1000', 1000],
  ])('reads the size %s', (raw, bytes) => {
    expect(loadConfig({ LIMIT: env.bytes('1MiB') }, { LIMIT: raw }).LIMIT).toBe(bytes);
  });

  it.each([
    ['72h', 72 * 3_600_000],
    ['250ms', 250],
    ['7d', 7 * 86_400_000],
  ])('reads the duration %s', (raw, ms) => {
    expect(loadConfig({ WAIT: env.duration('1s') }, { WAIT: raw }).WAIT).toBe(ms);
  });

  it('refuses a malformed duration', () => {
    expect(() => loadConfig({ WAIT: env.duration('1s') }, { WAIT: 'soon' })).toThrow(
      /WAIT must be a duration/,
    );
  });
});

describe('describe', () => {
  it('gives a copy of the variable its description, reading values as before', () => {
    const plain = env.duration('30m');
    const described = plain.describe('a whole build, checkout to image');
    expect(described.description).toBe('a whole build, checkout to image');
    expect(plain.description).toBeUndefined();
    expect(loadConfig({ WAIT: described }, { WAIT: '5s' }).WAIT).toBe(5000);
    expect(loadConfig({ WAIT: described }, {}).WAIT).toBe(30 * 60_000);
  });

  it('keeps the default in the form an operator writes it', () => {
    expect(env.bytes('10MiB').describe('cap').fallback).toBe('10MiB');
    expect(env.port(8092).fallback).toBe('8092');
    expect(env.urls('nats://a:4222,nats://b:4222', ['nats:']).fallback).toBe('nats://a:4222,nats://b:4222');
    expect(env.url('http://127.0.0.1:5000', ['http:']).fallback).toBe('http://127.0.0.1:5000');
    expect(env.optional().fallback).toBeUndefined();
    expect(env.string().fallback).toBeUndefined();
  });

  it('leaves the error of a described variable unchanged', () => {
    expect(() => loadConfig({ PORT: env.port(1).describe('HTTP port') }, { PORT: 'x' })).toThrow(
      'invalid configuration: PORT must be an integer from 1 to 65535 (got "x")',
    );
  });
});
