import { startBusFixture, startServiceFixture } from '@gitops/fixtures';
import { startRedisServer, testApplication, uniqueApp } from '@gitops/testing';
import { it } from 'vitest';
import { builder } from './service.js';

it('probe', async () => {
  const bus = await startBusFixture();
  const redis = await startRedisServer({ password: 'right-pw' });
  const t = Date.now();
  try {
    const s = await startServiceFixture(builder, { bus, redisUrl: redis.url.replace('right-pw', 'wrong-pw'), apps: [testApplication(uniqueApp())], env: { LOG_LEVEL: 'warn' } });
    console.log('STARTED', Date.now() - t, (await s.http.inject({ url: '/readyz' })).body);
    await s.stop();
  } catch (err) {
    console.log('FAILED', Date.now() - t, (err as Error).message);
  }
  await bus.dispose(); await redis.dispose();
}, 60000);
