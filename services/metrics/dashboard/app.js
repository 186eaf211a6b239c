import { barChart, lineChart, timeline } from './charts.js';

const $ = (id) => document.getElementById(id);
const DAY = 86_400_000;

function range() {
  const to = new Date();
  const from = new Date(to.getTime() - Number($('days').value) * DAY);
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  if ($('app').value) query.set('app', $('app').value);
  return query;
}

async function get(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error((await response.json()).message);
  return response.json();
}

function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < DAY) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / DAY).toFixed(1)} d`;
}

const percent = (rate) => (rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)} %`);

function tile(title, value, level, note) {
  const node = document.createElement('div');
  node.className = `tile ${level ?? 'none'}`;
  node.innerHTML = '<h3></h3><p class="value"></p><p class="level"></p><p class="note"></p>';
  node.querySelector('h3').textContent = title;
  node.querySelector('.value').textContent = value;
  node.querySelector('.level').textContent = level ?? 'no bucket';
  node.querySelector('.note').textContent = note;
  return node;
}

async function renderDora() {
  const { environments } = await get(`/api/v1/metrics/dora?${range()}`);
  const box = $('dora');
  box.replaceChildren();
  if (environments.length === 0) box.innerHTML = '<p class="empty">no deployments in this range</p>';
  for (const env of environments) {
    const group = document.createElement('div');
    group.className = 'environment';
    group.dataset.environment = env.environment;
    const title = document.createElement('h3');
    title.textContent = `${env.environment} · ${env.deployments} deployments`;
    group.append(
      title,
      tile(
        'Deployment frequency',
        `${env.deploymentFrequency.perDay.toFixed(2)} / day`,
        env.deploymentFrequency.level,
        'successful deploys per day',
      ),
      tile(
        'Lead time for changes',
        duration(env.leadTimeMs?.median),
        env.leadTimeMs?.level,
        `p90 ${duration(env.leadTimeMs?.p90)}`,
      ),
      tile(
        'Change failure rate',
        percent(env.changeFailureRate?.rate),
        env.changeFailureRate?.level,
        'failed or rolled back',
      ),
      tile(
        'Recovery time',
        duration(env.recoveryTimeMs?.median),
        env.recoveryTimeMs?.level,
        'failure to next good deploy',
      ),
      tile('Rework rate', percent(env.reworkRate), undefined, 'unplanned deploys'),
    );
    box.append(group);
  }
}

async function renderBuilds() {
  const builds = await get(`/api/v1/metrics/builds?${range()}`);
  $('build-summary').textContent =
    `${builds.total} builds · ${percent(builds.successRate)} succeeded · p50 ${duration(builds.durationMs.p50)} · p90 ${duration(builds.durationMs.p90)}${
      Object.keys(builds.failureClasses).length
        ? ` · failures: ${Object.entries(builds.failureClasses)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`
        : ''
    }`;
  const series = builds.coverage.flatMap((s) =>
    s.points.map((p) => ({
      x: Date.parse(p.at),
      y: p.coverage,
      drop: p.drop,
      series: `${s.app}/${s.branch}`,
    })),
  );
  $('coverage-chart').replaceChildren(
    lineChart(series, { yLabel: '%', flag: (p) => p.drop, format: (v) => v.toFixed(0) }),
  );
}

function renderBuildChart(pipelines) {
  const bars = pipelines
    .filter((p) => p.build?.durationMs)
    .slice(0, 40)
    .reverse()
    .map((p) => ({
      value: p.build.durationMs,
      kind: p.build.outcome,
      title: `${p.id}: ${duration(p.build.durationMs)}`,
    }));
  $('build-chart').replaceChildren(barChart(bars, { format: (v) => duration(v) }));
}

async function renderPipelines() {
  const query = new URLSearchParams({ limit: '25' });
  if ($('app').value) query.set('app', $('app').value);
  const { pipelines } = await get(`/api/v1/pipelines?${query}`);
  const detailed = await Promise.all(
    pipelines.map((p) => get(`/api/v1/pipelines/${encodeURIComponent(p.id)}`)),
  );
  const body = $('pipelines').querySelector('tbody');
  body.replaceChildren();
  if (detailed.length === 0) body.innerHTML = '<tr><td colspan="6" class="empty">no pipelines yet</td></tr>';
  for (const p of detailed) {
    const row = document.createElement('tr');
    row.dataset.pipeline = p.id;
    for (const text of [
      p.id,
      p.app,
      p.commit?.slice(0, 7) ?? '–',
      p.startedAt.replace('T', ' ').slice(0, 19),
      p.status,
    ]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    row.lastChild.className = `status ${p.status}`;
    const cell = document.createElement('td');
    cell.append(timeline(p.stages));
    row.append(cell);
    body.append(row);
  }
  renderBuildChart(
    detailed.map((p) => ({
      id: p.id,
      build: p.stages.find((s) => s.stage === 'build' && s.outcome !== 'running'),
    })),
  );
}

async function refresh() {
  await Promise.all([renderDora(), renderBuilds(), renderPipelines()]).catch((err) => {
    document.body.dataset.error = err.message;
  });
  document.body.dataset.refreshed = String(Date.now());
}

let pending;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(refresh, 300);
}

function live() {
  const query = new URLSearchParams();
  if ($('app').value) query.set('app', $('app').value);
  const source = new EventSource(`/api/v1/events?${query}`);
  source.onopen = () => $('live').classList.remove('off');
  source.onerror = () => $('live').classList.add('off');
  source.onmessage = refreshSoon;
  for (const type of [
    'source.received',
    'build.succeeded',
    'build.failed',
    'image.pushed',
    'config.updated',
    'deploy.succeeded',
    'deploy.failed',
    'promotion.approved',
    'rollback.completed',
  ]) {
    source.addEventListener(type, refreshSoon);
  }
  return source;
}

let stream;
function start() {
  stream?.close();
  stream = live();
  refresh();
}

const params = new URLSearchParams(location.search);
$('app').value = params.get('app') ?? '';
$('filter').addEventListener('change', start);
$('filter').addEventListener('submit', (event) => {
  event.preventDefault();
  start();
});
start();
