/** One entry of `steps[]` in the build events. */
export interface StepResult {
  name: string;
  status: 'succeeded' | 'failed' | 'skipped';
  durationMs: number;
  exitCode?: number;
}

/** The steps of a build as they happen, including the builder's own (`checkout`, `image`). */
export class StepRecorder {
  readonly #results: StepResult[] = [];
  #running: string | undefined;

  /** The step in progress, which a cancellation is attributed to. */
  get running(): string | undefined {
    return this.#running;
  }

  begin(name: string): void {
    this.#running = name;
  }

  record(result: StepResult): void {
    this.#running = undefined;
    this.#results.push(result);
  }

  /** Runs one of the builder's own steps, recording how long it took and whether it threw. */
  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    this.begin(name);
    try {
      const value = await fn();
      this.record({ name, status: 'succeeded', durationMs: durationMs() });
      return value;
    } catch (err) {
      this.record({ name, status: 'failed', durationMs: durationMs() });
      throw err;
    }
  }

  /** The steps so far, and the planned ones that never ran as `skipped`. */
  results(planned: string[] = []): StepResult[] {
    const ran = new Set(this.#results.map((r) => r.name));
    const skipped = planned.filter((name) => !ran.has(name));
    return [
      ...this.#results,
      ...skipped.map((name) => ({ name, status: 'skipped' as const, durationMs: 0 })),
    ];
  }
}
