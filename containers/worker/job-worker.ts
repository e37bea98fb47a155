// The BullMQ worker that consumes the job queue with a configurable number of jobs at once.
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { JOB_QUEUE_NAME, type QueuedJob } from '../../core/jobs/job-queue.js';
import type { KeySpace } from '../../core/redis/keys.js';
import { createJobProcessor, type ProcessorDeps } from './job-processor.js';

export interface JobWorkerOptions extends ProcessorDeps {
  /** Needs `maxRetriesPerRequest: null` (see core/redis/connection.ts). */
  connection: ConnectionOptions;
  keys: KeySpace;
  concurrency: number;
  /**
   * How long a job's lock lives without renewal; a worker that dies loses its jobs to another after this.
   * BullMQ renews it every lockDuration / 2 while the job runs.
   * @defaultValue 60000
   */
  lockDurationMs?: number;
  /** @defaultValue 30000 */
  stalledIntervalMs?: number;
  /** Times a job may lose its worker (crash) and be started again. @defaultValue 1 */
  maxStalledCount?: number;
}

export function createJobWorker(options: JobWorkerOptions): Worker<QueuedJob> {
  const { store, logger } = options;
  const worker = new Worker<QueuedJob>(JOB_QUEUE_NAME, createJobProcessor(options), {
    connection: options.connection,
    prefix: options.keys.queuePrefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs ?? 60_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 1,
  });
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  // A job that stalled too often (its workers kept dying) is failed by BullMQ without calling the processor,
  // so the record would stay `running` forever; close it here. For any other failure this is a no-op.
  worker.on('failed', (job: Job<QueuedJob> | undefined, error: Error) => {
    if (!job) return;
    const { tenantId, jobId } = job.data;
    void (async () => {
      if (!(await job.isFailed())) return; // it will be retried
      if (
        await store.fail(tenantId, jobId, 'The platform could not run this job; it has been kept for replay.')
      ) {
        logger.error({ jobId, tenantId, reason: error.message }, 'job failed outside its processor');
      }
    })().catch((closeError: unknown) =>
      logger.error({ err: closeError, jobId, tenantId }, 'could not mark job failed'),
    );
  });
  return worker;
}
