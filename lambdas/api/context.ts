// What the API app needs from outside (built once per process) and what middleware puts on each request.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../core/config.js';
import type { EnqueueJournal } from '../../core/jobs/enqueue-journal.js';
import type { JobStore } from '../../core/jobs/job-store.js';
import type { QueuedJob } from '../../core/jobs/job-queue.js';
import type { Logger } from '../../core/logger.js';
import type { ApiKeyDirectory, Tenant } from '../../core/tenancy/api-keys.js';

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
