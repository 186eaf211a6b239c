// Inline SVG charts: no chart library, no network.
const NS = 'http://www.w3.org/2000/svg';

export function svg(width, height, children) {
  const root = document.createElementNS(NS, 'svg');
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('width', '100%');
  root.setAttribute('role', 'img');
  for (const child of children) root.appendChild(child);
  return root;
}

export function el(name, attributes, text) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A line over (x, y) points, with dots; `flag(point)` marks a dot red (a coverage drop). */
export function lineChart(
  points,
  { width = 480, height = 160, yLabel = '', flag = () => false, format = (v) => v } = {},
) {
  if (points.length === 0) return emptyChart(width, height);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(0, ...ys), Math.max(...ys) * 1.1 || 1];
  const px = (x) => 40 + ((x - x0) / (x1 - x0 || 1)) * (width - 50);
  const py = (y) => height - 20 - ((y - y0) / (y1 - y0)) * (height - 30);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
  return svg(width, height, [
    el('line', { x1: 40, y1: height - 20, x2: width - 10, y2: height - 20, class: 'axis' }),
    el('text', { x: 2, y: 12, class: 'label' }, `${format(y1)} ${yLabel}`),
    el('text', { x: 2, y: height - 22, class: 'label' }, format(y0)),
    el('path', { d: path, class: 'line' }),
    ...points.map((p) =>
      el('circle', { cx: px(p.x), cy: py(p.y), r: 3, class: flag(p) ? 'dot drop' : 'dot' }, undefined),
    ),
  ]);
}

/** Vertical bars, one per value, coloured by `kind(bar)`. */
export function barChart(bars, { width = 480, height = 160, format = (v) => v } = {}) {
  if (bars.length === 0) return emptyChart(width, height);
  const top = Math.max(...bars.map((b) => b.value)) * 1.1 || 1;
  const step = (width - 50) / bars.length;
  return svg(width, height, [
    el('line', { x1: 40, y1: height - 20, x2: width - 10, y2: height - 20, class: 'axis' }),
    el('text', { x: 2, y: 12, class: 'label' }, format(top)),
    ...bars.map((b, i) => {
      const h = (b.value / top) * (height - 30);
      const rect = el('rect', {
        x: 40 + i * step + 1,
        y: height - 20 - h,
        width: Math.max(step - 2, 1),
        height: h,
        class: `bar ${b.kind}`,
      });
      rect.appendChild(el('title', {}, b.title));
      return rect;
    }),
  ]);
}

function emptyChart(width, height) {
  return svg(width, height, [
    el('text', { x: width / 2, y: height / 2, class: 'label', 'text-anchor': 'middle' }, 'no data yet'),
  ]);
}

/** A pipeline's stages on one time axis. */
export function timeline(stages, { width = 360, height = 18 } = {}) {
  const times = stages
    .flatMap((s) => [s.startedAt, s.endedAt])
    .filter(Boolean)
    .map(Date.parse);
  if (times.length === 0) return svg(width, height, []);
  const start = Math.min(...times);
  const span = Math.max(Math.max(...times) - start, 1);
  const x = (iso) => ((Date.parse(iso) - start) / span) * (width - 4) + 2;
  return svg(
    width,
    height,
    stages.map((s) => {
      const from = x(s.startedAt ?? s.endedAt);
      const to = x(s.endedAt ?? s.startedAt);
      const rect = el('rect', {
        x: from,
        y: 3,
        width: Math.max(to - from, 3),
        height: height - 6,
        rx: 2,
        class: `stage ${s.outcome}`,
      });
      rect.appendChild(
        el('title', {}, `${s.stage}${s.environment ? ` ${s.environment}` : ''}: ${s.outcome}`),
      );
      return rect;
    }),
  );
}
