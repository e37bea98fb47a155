// Starts one real redis-server for the whole test run on its own port; each test isolates itself by key prefix.
// On a fresh Debian machine (root, apt-get) it first installs what the tests need, as `npm run dev` does.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../core/config.js';
import { startRedisServer } from '../../core/redis/redis-server-process.js';
import {
  canInstallSystemPackages,
  installSystemPackages,
  missingSystemPackages,
} from '../../scripts/system-packages.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const missing = await missingSystemPackages({ redis: true });
  if (missing.length > 0 && loadConfig().DEV_INSTALL_PACKAGES && (await canInstallSystemPackages())) {
    await installSystemPackages(missing, (line) => console.log(line));
  }
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  return async () => {
    await redis.stop();
  };
}
