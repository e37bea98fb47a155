// The BullMQ queue that carries job references (never the code) from the API to the workers.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { KeySpace } from '../redis/keys.js';

export const JOB_QUEUE_NAME = 'jobs';

/** What travels through the queue: a pointer to the tenant's stored record. */
export interface QueuedJob {
  tenantId: string;
  jobId: string;
}

/**
 * Retries are for platform failures (a worker crash, Redis blip); a program's own failure is a result, not a retry.
 * Failed jobs stay in BullMQ's failed set: that set is the dead-letter queue the replay reads.
 */
export const JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: false,
};

export function createJobQueue(connection: ConnectionOptions, keys: KeySpace): Queue<QueuedJob> {
  return new Queue<QueuedJob>(JOB_QUEUE_NAME, {
    connection,
    prefix: keys.queuePrefix,
    defaultJobOptions: JOB_OPTIONS,
  });
}
