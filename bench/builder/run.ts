// bench/builder: cold and warm native image builds and a buildah build of a ~20 MB Node service,
// against `tar -czf` of the same context (the floor for reading and compressing it once); then whole
// builds with three steps, sandboxed (bwrap) and with BUILD_SANDBOX=off, and the sandbox's overhead.
// Run: node --import tsx bench/builder/run.ts   (BENCH_RUNS=3 repetitions, medians reported)
import { register } from 'node:module';

register('./workspace-sources.mjs', import.meta.url);
await import('./bench.js');
