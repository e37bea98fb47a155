// Starts one real redis-server for the whole test run on its own port; each test isolates itself by key prefix.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from '../../core/redis/redis-server-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  return async () => {
    await redis.stop();
  };
}
