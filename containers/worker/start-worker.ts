// Starts a worker process's parts: the execution backend (sandbox first: no sandbox, no worker), Redis, BullMQ.
import type { Config } from '../../core/config.js';
import { EnqueueJournal, repairUnqueuedJobs } from '../../core/jobs/enqueue-journal.js';
import { createJobQueue } from '../../core/jobs/job-queue.js';
import { JobStore } from '../../core/jobs/job-store.js';
import type { Logger } from '../../core/logger.js';
import { createRedis } from '../../core/redis/connection.js';
import { KeySpace } from '../../core/redis/keys.js';
import type { ExecutionBackend } from './execution-backend.js';
import { createJobWorker } from './job-worker.js';
import { createLocalBackend } from './local-backend.js';

/** How often a worker looks for submissions an API process left half-done. */
const REPAIR_INTERVAL_MS = 60_000;

export interface RunningWorker {
  /** Waits for running jobs to finish, then disconnects. */
  close(): Promise<void>;
}

export async function startWorker(options: {
  config: Config;
  redisUrl: string;
  logger: Logger;
  keys?: KeySpace;
  backend?: ExecutionBackend;
}): Promise<RunningWorker> {
  const { config, logger } = options;
  const keys = options.keys ?? new KeySpace(config.CCEE_KEY_NAMESPACE);
  if (config.EXECUTION_BACKEND !== 'local' && !options.backend) {
    throw new Error(
      `EXECUTION_BACKEND=${config.EXECUTION_BACKEND} is not available yet; use EXECUTION_BACKEND=local`,
    );
  }
  const backend = options.backend ?? (await createLocalBackend(config, logger));
  const redis = createRedis(options.redisUrl, 'worker');
  const store = new JobStore(redis, keys, config.JOB_RETENTION_SECONDS);
  const worker = createJobWorker({
    connection: redis,
    keys,
    concurrency: config.WORKER_CONCURRENCY,
    store,
    backend,
    logger,
  });
  await worker.waitUntilReady();
  const queue = createJobQueue(redis, keys);
  const repairDeps = { journal: new EnqueueJournal(redis, keys), store, queue, logger };
  const repair = () =>
    repairUnqueuedJobs(repairDeps).catch((error: unknown) =>
      logger.warn({ err: error }, 'enqueue repair sweep failed; will try again'),
    );
  void repair();
  const repairTimer = setInterval(repair, REPAIR_INTERVAL_MS);
  repairTimer.unref();
  logger.info(
    { concurrency: config.WORKER_CONCURRENCY, backend: config.EXECUTION_BACKEND },
    'worker started',
  );
  return {
    close: async () => {
      clearInterval(repairTimer);
      await worker.close();
      await queue.close();
      await backend.close();
      redis.disconnect();
    },
  };
}
