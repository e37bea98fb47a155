// What the API app needs from outside (built once per process) and what middleware puts on each request.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../core/config.js';
import { EnqueueJournal } from '../../core/jobs/enqueue-journal.js';
import { createJobQueue, type QueuedJob } from '../../core/jobs/job-queue.js';
import { JobStore } from '../../core/jobs/job-store.js';
import type { Logger } from '../../core/logger.js';
import type { KeySpace } from '../../core/redis/keys.js';
import { ApiKeyDirectory, type Tenant } from '../../core/tenancy/api-keys.js';

export interface AppDeps {
  config: Config;
  redis: Redis;
  store: JobStore;
  journal: EnqueueJournal;
  queue: Queue<QueuedJob>;
  apiKeys: ApiKeyDirectory;
  logger: Logger;
  /** HTML served at `/`. */
  indexHtml?: string;
}

export interface AppEnv {
  Variables: {
    tenant: Tenant;
  };
}

/** Everything the app needs, built on one Redis connection; the caller owns (and closes) `redis` and `queue`. */
export function createAppDeps(options: {
  config: Config;
  redis: Redis;
  keys: KeySpace;
  logger: Logger;
  apiKeys: NonNullable<Config['TENANT_API_KEYS_JSON']>;
  indexHtml?: string;
}): AppDeps {
  const { config, redis, keys } = options;
  return {
    config,
    redis,
    store: new JobStore(redis, keys, config.JOB_RETENTION_SECONDS),
    journal: new EnqueueJournal(redis, keys),
    queue: createJobQueue(redis, keys),
    apiKeys: new ApiKeyDirectory(options.apiKeys),
    logger: options.logger,
    indexHtml: options.indexHtml,
  };
}
