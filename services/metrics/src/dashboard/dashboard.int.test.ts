import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsService } from '../service.js';
import { minutes, pipeline, plus } from '../test/history.js';

const CHROMIUM = '/usr/bin/chromium';
// The flags that work on this machine (no GPU, no network but loopback, running as root).
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = resolve(import.meta.dirname, '../../.screenshots/dashboard.png');

describe('the dashboard in headless Chromium', () => {
  let bus: BusFixture;
  let service: Awaited<ReturnType<typeof startServiceFixture>>;
  let browser: Browser;
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run scripts/servers.sh install (Debian's chromium)`);
    bus = await startBusFixture();
    service = await startServiceFixture(metricsService, {
      bus,
      redisUrl: 'redis://127.0.0.1:1',
      apps: [],
      env: { INGEST_WAIT: '10ms' },
    });
    const history = [1, 2, 3, 4].flatMap((n) => {
      const committed = ago(minutes(60 * 24 * (5 - n)));
      const p = pipeline({ app: 'shop', id: `shop-${n}`, commit: n, committed });
      return [
        p.received(plus(committed, minutes(1))),
        p.buildStarted(plus(committed, minutes(2))),
        p.buildSucceeded(plus(committed, minutes(6)), minutes(3 + n), { coverage: [80, 82, 79, 84][n - 1]! }),
        p.imagePushed(plus(committed, minutes(7))),
        p.configUpdated(plus(committed, minutes(8)), 'staging'),
        p.deployed(plus(committed, minutes(30)), 'staging'),
        p.deployed(plus(committed, minutes(40)), 'production', n === 3 ? 'failed' : 'succeeded'),
      ];
    });
    for (const { event } of history) await bus.bus.publish(event);
    // Playwright gives the browser a fresh empty profile of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await bus?.dispose();
  });

  it('shows DORA tiles with levels, build and coverage charts, pipelines with timelines, and updates live', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${service.url}/?app=shop`);
    await page.waitForSelector('#pipelines tr[data-pipeline="shop-4"]');
    await page.waitForSelector('#live:not(.off)');
    const production = page.locator('.environment[data-environment="production"]');
    await expect
      .poll(() => production.locator('h3').first().textContent())
      .toBe('production · 3 deployments');
    expect(await production.locator('.tile').nth(2).locator('.value').textContent()).toBe('25.0 %');
    expect(await production.locator('.tile').nth(2).locator('.level').textContent()).toBe('low');
    expect(await page.locator('#build-chart rect.bar').count()).toBe(4);
    expect(await page.locator('#coverage-chart circle.dot.drop').count()).toBe(1);
    expect(
      await page.locator('#pipelines tr[data-pipeline="shop-4"] rect.stage').count(),
    ).toBeGreaterThanOrEqual(5);

    const next = pipeline({ app: 'shop', id: 'shop-5', commit: 5, committed: ago(minutes(5)) });
    await bus.bus.publish(next.received(ago(minutes(4))).event);
    await page.waitForSelector('#pipelines tr[data-pipeline="shop-5"]', { timeout: 10_000 });

    await mkdir(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(errors).toEqual([]);
  });
});
