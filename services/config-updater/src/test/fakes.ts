import type { Application, Environment } from '@gitops/config';
import { TEST_SHA } from '@gitops/testing';
import type { Bump, ConfigWriter, PromotionState, QuarantineEntry, WaitingPromotion } from '../ports.js';
import { REPOSITORY } from './config-repo.js';

export const CONFIG_COMMIT = 'c'.repeat(40);

/** A writer that records bumps; reads answer what `pinned` says each environment pins. */
export class FakeWriter implements ConfigWriter {
  bumps: Bump[] = [];
  pinned = new Map<string, { digest: string; tag?: string }>();
  async write(bump: Bump) {
    this.bumps.push(bump);
    return { configCommit: CONFIG_COMMIT, committed: true, durationMs: 5 };
  }
  async read(_app: Application, environment: Environment) {
    const image = this.pinned.get(environment.name);
    return {
      configCommit: CONFIG_COMMIT,
      sourceCommit: TEST_SHA,
      ...(image ? { image: { repository: REPOSITORY, ...image } } : {}),
    };
  }
}

export class MemoryState implements PromotionState {
  quarantine_ = new Map<string, QuarantineEntry>();
  waits = new Map<string, WaitingPromotion>();
  async quarantine(entry: QuarantineEntry) {
    this.quarantine_.set(entry.digest, entry);
  }
  async quarantined(digest: string) {
    return this.quarantine_.get(digest);
  }
  async quarantineList() {
    return [...this.quarantine_.values()];
  }
  async release(digest: string) {
    return this.quarantine_.delete(digest);
  }
  async wait(p: WaitingPromotion) {
    this.waits.set(`${p.app}/${p.to}`, p);
  }
  async waiting(app: string, env: string) {
    return this.waits.get(`${app}/${env}`);
  }
  async done(app: string, env: string) {
    this.waits.delete(`${app}/${env}`);
  }
}
