// The BullMQ worker that consumes the job queue with a configurable number of jobs at once.
import { Worker, type ConnectionOptions } from 'bullmq';
import { JOB_QUEUE_NAME, type QueuedJob } from '../../core/jobs/job-queue.js';
import type { KeySpace } from '../../core/redis/keys.js';
import { createJobProcessor, type ProcessorDeps } from './job-processor.js';

export interface JobWorkerOptions extends ProcessorDeps {
  /** Needs `maxRetriesPerRequest: null` (see core/redis/connection.ts). */
  connection: ConnectionOptions;
  keys: KeySpace;
  concurrency: number;
}

export function createJobWorker(options: JobWorkerOptions): Worker<QueuedJob> {
  const worker = new Worker<QueuedJob>(JOB_QUEUE_NAME, createJobProcessor(options), {
    connection: options.connection,
    prefix: options.keys.queuePrefix,
    concurrency: options.concurrency,
    // A job holds its lock for its whole run (up to compile + timeout); BullMQ renews it every lockDuration/2.
    lockDuration: 60_000,
  });
  worker.on('error', (error) => options.logger.error({ err: error }, 'worker error'));
  return worker;
}
