// `npm run dev`: the whole platform on one machine — Redis (started for you unless REDIS_URL is set), worker, API and UI.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { startRedisServer, type RedisServerProcess } from '../core/redis/redis-server-process.js';
import { startApiServer, type ApiServer } from '../lambdas/api/server.js';
import { startWorker, type RunningWorker } from '../containers/worker/start-worker.js';
import { checkSandboxPrerequisites } from '../containers/runner/bwrap-sandbox.js';
import { commandExists } from '../core/command-exists.js';
import {
  canInstallSystemPackages,
  installSystemPackages,
  missingSystemPackages,
} from '../scripts/system-packages.js';

/** The seed's local key; only `npm run dev` accepts it, and only when no keys are configured. */
const DEV_API_KEYS = { 'dev-local-key': 'dev-local' };

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const logger = createLogger(process.env.LOG_LEVEL, 'ccee-dev');

async function main() {
  const config = loadConfig();
  const missing = await missingSystemPackages({ redis: !config.REDIS_URL });
  if (missing.length > 0 && config.DEV_INSTALL_PACKAGES && (await canInstallSystemPackages())) {
    await installSystemPackages(missing, (line) => console.log(line)).catch((error: unknown) =>
      console.error(`ccee dev: installing ${missing.join(' ')} failed: ${(error as Error).message}`),
    );
  }
  const problems = checkSandboxPrerequisites();
  if (!config.REDIS_URL && !(await commandExists('redis-server')))
    problems.push('redis-server is not installed');
  if (problems.length > 0) {
    console.error(
      `ccee dev cannot start: ${problems.join('; ')}.\n` +
        'CCEE runs untrusted code only inside its sandbox (bubblewrap + cgroups + seccomp), which needs root, ' +
        'and keeps its queue in Redis. On Debian/Ubuntu install everything with:\n\n' +
        '  sudo apt-get update && sudo apt-get install -y redis-server bubblewrap python3-seccomp openjdk-17-jdk-headless\n\n' +
        'then run `sudo npm run dev` (or set REDIS_URL to use a Redis you already run).',
    );
    process.exit(1);
  }

  let redis: RedisServerProcess | undefined;
  let worker: RunningWorker | undefined;
  let api: ApiServer | undefined;
  const stop = async (code: number) => {
    await api?.close().catch(() => {});
    await worker?.close().catch(() => {});
    await redis?.stop().catch(() => {});
    process.exit(code);
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: API, worker, then Redis');
      void stop(0);
    });
  }

  try {
    if (!config.REDIS_URL) {
      const dataDir = path.resolve(REPO_ROOT, config.DEV_REDIS_DIR);
      redis = await startRedisServer({ dataDir });
      logger.info({ url: redis.url, dataDir }, 'started redis-server');
    }
    const redisUrl = config.REDIS_URL ?? redis!.url;
    worker = await startWorker({ config, redisUrl, logger });
    const apiKeys = config.TENANT_API_KEYS_JSON ?? DEV_API_KEYS;
    if (!config.TENANT_API_KEYS_JSON)
      logger.warn('TENANT_API_KEYS_JSON is not set: accepting the dev key dev-local-key');
    api = await startApiServer({ config, redisUrl, logger, apiKeys });
    console.log(
      `\nCCEE is running: UI and API on http://localhost:${api.port}/  (Ctrl-C stops everything)\n`,
    );
  } catch (error) {
    console.error(`ccee dev: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

main().catch((error: unknown) => {
  console.error(`ccee dev: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
