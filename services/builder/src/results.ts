import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { GitopsEvent } from '@gitops/contracts';
import { type DataDir, isSafeName } from './data-dir.js';

interface ResultRecord {
  pipelineId: string;
  /** The result events exactly as first published: same ids and times, so a republish is a duplicate. */
  events: GitopsEvent[];
}

/**
 * The result of every finished build, kept under GITOPS_DATA_DIR (shared by the replicas), so a
 * replayed `source.received` republishes it instead of building again.
 */
export class ResultStore {
  constructor(private readonly dataDir: DataDir) {}

  async read(app: string, pipelineId: string): Promise<GitopsEvent[] | undefined> {
    let text: string;
    try {
      text = await readFile(this.dataDir.result(app, pipelineId), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const record = JSON.parse(text) as ResultRecord;
      return record.pipelineId === pipelineId && Array.isArray(record.events) ? record.events : undefined;
    } catch {
      // A torn record (a crash mid-write cannot make one, but a full disk can): build again.
      return undefined;
    }
  }

  /**
   * Whether a pipeline of any of `apps` has its result recorded, i.e. its build has ended: the
   * signal a follower of the build log stops at, which holds across replicas sharing the data dir.
   */
  async isRecorded(pipelineId: string, apps: Iterable<string>): Promise<boolean> {
    if (!isSafeName(pipelineId)) return false;
    for (const app of apps) {
      if (await this.read(app, pipelineId)) return true;
    }
    return false;
  }

  /** Written whole or not at all (rename), so a reader never sees half a record. */
  async write(app: string, pipelineId: string, events: GitopsEvent[]): Promise<void> {
    const path = this.dataDir.result(app, pipelineId);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${randomUUID()}.tmp`;
    const record: ResultRecord = { pipelineId, events };
    await writeFile(partial, JSON.stringify(record));
    await rename(partial, path);
  }
}
