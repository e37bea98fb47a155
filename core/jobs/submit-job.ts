// Accepting a job: journal it, record it for the tenant, then enqueue it; if the enqueue fails, undo the record.
import type { Queue } from 'bullmq';
import { ApiError } from '../errors/api-error.js';
import { newJobId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { JobRecord } from '../model/job.js';
import type { JobRequest } from '../model/job-request.js';
import type { EnqueueJournal } from './enqueue-journal.js';
import type { JobStore } from './job-store.js';
import type { QueuedJob } from './job-queue.js';

export interface SubmitDeps {
  store: JobStore;
  journal: EnqueueJournal;
  queue: Queue<QueuedJob>;
  logger: Logger;
  /** BullMQ waits forever for a lost Redis; the API must answer. */
  enqueueTimeoutMs: number;
}

/**
 * Store then enqueue (the record and the queue live in different hash slots, so no single script can do both).
 * The BullMQ job id is the CCEE job id, so a repeated enqueue of the same job is a no-op. The journal entry
 * written first lets a worker finish the enqueue if this process dies between the steps (at-least-once).
 */
export async function submitJob(deps: SubmitDeps, tenantId: string, request: JobRequest): Promise<JobRecord> {
  const job: JobRecord = {
    jobId: newJobId(),
    tenantId,
    status: 'queued',
    ...request,
    createdAt: Date.now(),
    attempts: 0,
  };
  await deps.journal.begin(tenantId, job.jobId, job.createdAt);
  await deps.store.create(job);
  const log = deps.logger.child({ jobId: job.jobId, tenantId });
  try {
    await withTimeout(
      deps.queue.add('execute', { tenantId, jobId: job.jobId }, { jobId: job.jobId }),
      deps.enqueueTimeoutMs,
    );
  } catch (error) {
    log.error({ err: error }, 'enqueue failed; removing the job record');
    await deps.store.remove(tenantId, job.jobId).catch((undoError: unknown) => {
      log.error({ err: undoError }, 'could not remove the record of a job that was never queued');
    });
    await deps.journal.end(tenantId, job.jobId).catch(() => {});
    throw new ApiError(
      503,
      'queue_unavailable',
      'The job queue is unavailable; nothing was stored. Retry shortly.',
    );
  }
  // Best effort: a leftover entry only costs the sweep one look.
  await deps.journal
    .end(tenantId, job.jobId)
    .catch((error: unknown) => log.warn({ err: error }, 'journal cleanup failed'));
  log.info({ language: job.language, timeoutMs: job.timeoutMs, memoryMb: job.memoryMb }, 'job queued');
  return job;
}

/** If the add lands after the timeout, the worker finds no record and skips it: the 503 stays true. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`enqueue timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
