// Remembers submissions that are stored but maybe not yet queued, so a crash between the two steps is repaired.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { KeySpace } from '../redis/keys.js';
import type { JobStore } from './job-store.js';
import type { QueuedJob } from './job-queue.js';

const SEPARATOR = '/';

/**
 * The API writes an entry before storing a job and removes it once the job is queued (or undone).
 * An entry that outlives `graceMs` means the API died in between; {@link repairUnqueuedJobs} finishes its work.
 */
export class EnqueueJournal {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
  ) {}

  async begin(tenantId: string, jobId: string, now = Date.now()): Promise<void> {
    await this.redis.zadd(this.keys.enqueueJournal, now, tenantId + SEPARATOR + jobId);
  }

  async end(tenantId: string, jobId: string): Promise<void> {
    await this.redis.zrem(this.keys.enqueueJournal, tenantId + SEPARATOR + jobId);
  }

  /** Entries older than `graceMs`, oldest first. */
  async overdue(graceMs: number, limit: number, now = Date.now()): Promise<QueuedJob[]> {
    const members = await this.redis.zrangebyscore(
      this.keys.enqueueJournal,
      '-inf',
      now - graceMs,
      'LIMIT',
      0,
      limit,
    );
    return members.map((member) => {
      const at = member.indexOf(SEPARATOR);
      return { tenantId: member.slice(0, at), jobId: member.slice(at + 1) };
    });
  }
}

export interface RepairDeps {
  journal: EnqueueJournal;
  store: JobStore;
  queue: Queue<QueuedJob>;
  logger: Logger;
}

/**
 * Queue every overdue journal entry whose record is still `queued` and has no BullMQ job, then drop the entry.
 * Safe to run from several workers at once: the BullMQ job id is the CCEE job id, so a second add is a no-op.
 * @returns how many jobs were queued by the repair.
 */
export async function repairUnqueuedJobs(deps: RepairDeps, graceMs = 30_000, batch = 100): Promise<number> {
  let repaired = 0;
  for (const { tenantId, jobId } of await deps.journal.overdue(graceMs, batch)) {
    const job = await deps.store.get(tenantId, jobId);
    if (job?.status === 'queued' && !(await deps.queue.getJob(jobId))) {
      await deps.queue.add('execute', { tenantId, jobId }, { jobId });
      deps.logger.warn({ jobId, tenantId }, 'queued a job whose submission was interrupted');
      repaired++;
    }
    await deps.journal.end(tenantId, jobId);
  }
  return repaired;
}
