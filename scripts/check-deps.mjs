// Keeps the workspace's package graph acyclic and layered: a package may depend only on
// packages of a lower layer, and nothing depends on a service.
import { readFileSync, readdirSync } from 'node:fs';

const LAYERS = {
  contracts: 0,
  errors: 1,
  fs: 2,
  git: 2,
  testing: 2.5,
  'kube-api-double': 2.5,
  config: 2,
  telemetry: 2,
  oci: 3,
  bus: 3,
  queue: 4,
  cli: 5,
  service: 5,
  fixtures: 5.5,
};
const SERVICE_LAYER = 6;
const problems = [];
const nodes = new Map();
for (const group of ['packages', 'services']) {
  for (const dir of readdirSync(group)) {
    const pkg = JSON.parse(readFileSync(`${group}/${dir}/package.json`, 'utf8'));
    const layer = group === 'services' ? SERVICE_LAYER : LAYERS[dir];
    if (layer === undefined) problems.push(`${pkg.name}: not in a layer; add it to scripts/check-deps.mjs`);
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) =>
      d.startsWith('@gitops/'),
    );
    nodes.set(pkg.name, { layer, deps, isService: group === 'services' });
  }
}
for (const [name, { layer, deps }] of nodes) {
  for (const dep of deps) {
    const target = nodes.get(dep);
    if (!target) problems.push(`${name} depends on ${dep}, which is not in the workspace`);
    else if (target.isService) problems.push(`${name} depends on the service ${dep}`);
    else if (target.layer >= layer)
      problems.push(`${name} (layer ${layer}) depends on ${dep} (layer ${target.layer})`);
  }
}
const visit = (name, path) => {
  if (path.includes(name))
    return problems.push(`cycle: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}`);
  for (const dep of nodes.get(name)?.deps ?? []) visit(dep, [...path, name]);
};
for (const name of nodes.keys()) visit(name, []);
if (problems.length > 0) {
  console.error(`package dependency check failed:\n  ${[...new Set(problems)].join('\n  ')}`);
  process.exit(1);
}
console.log(`package dependency check: ${nodes.size} packages, acyclic and layered`);
