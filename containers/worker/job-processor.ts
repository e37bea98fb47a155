// Runs one queued job: marks it running, executes it on the backend, stores the verdict.
import type { Job } from 'bullmq';
import type { JobStore } from '../../core/jobs/job-store.js';
import type { QueuedJob } from '../../core/jobs/job-queue.js';
import type { Logger } from '../../core/logger.js';
import type { ExecutionBackend } from './execution-backend.js';

export interface ProcessorDeps {
  store: JobStore;
  backend: ExecutionBackend;
  logger: Logger;
}

/**
 * The BullMQ processor. A program's failure is a result (stored, not thrown); only platform failures throw,
 * so BullMQ retries them with backoff. On the last attempt the job is marked `failed` before the throw,
 * which leaves the BullMQ job in the failed set (the dead-letter queue) and the record terminal.
 */
export function createJobProcessor({ store, backend, logger }: ProcessorDeps) {
  return async (bullJob: Job<QueuedJob>): Promise<string> => {
    const { tenantId, jobId } = bullJob.data;
    const attempt = bullJob.attemptsMade + 1;
    const log = logger.child({ jobId, tenantId, attempt });
    const job = await store.get(tenantId, jobId);
    if (!job) {
      log.warn('job record is gone (expired or removed); skipping');
      return 'missing';
    }
    if (!(await store.markRunning(tenantId, jobId, attempt))) {
      log.info({ status: job.status }, 'job is already terminal; skipping');
      return 'skipped';
    }
    log.info({ language: job.language }, 'job running');
    try {
      const result = await backend.execute(
        {
          jobId,
          language: job.language,
          sourceCode: job.sourceCode,
          stdin: job.stdin,
          timeoutMs: job.timeoutMs,
          memoryMb: job.memoryMb,
          cpuMillicores: job.cpuMillicores,
        },
        log,
      );
      await store.complete(tenantId, jobId, result);
      log.info(
        {
          outcome: result.outcome,
          wallTimeMs: result.wallTimeMs,
          cpuTimeMs: result.cpuTimeMs,
          peakMemoryBytes: result.peakMemoryBytes,
        },
        'job completed',
      );
      return result.outcome;
    } catch (error) {
      const maxAttempts = bullJob.opts.attempts ?? 1;
      if (attempt >= maxAttempts) {
        log.error({ err: error }, 'job failed on its last attempt');
        await store.fail(
          tenantId,
          jobId,
          'The platform could not run this job; it has been kept for replay.',
        );
      } else {
        log.warn({ err: error }, 'job attempt failed; it will be retried');
      }
      throw error;
    }
  };
}
