// `npm run worker`: a worker on its own against REDIS_URL, stopped cleanly by SIGTERM/SIGINT.
import { ConfigError, loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startWorker } from './start-worker.js';

const logger = createLogger(process.env.LOG_LEVEL, 'ccee-worker');

async function main() {
  const config = loadConfig();
  if (!config.REDIS_URL)
    throw new ConfigError(
      'REDIS_URL: is required for a standalone worker (npm run dev starts Redis for you)',
    );
  const worker = await startWorker({ config, redisUrl: config.REDIS_URL, logger });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'draining: finishing running jobs');
      worker.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'unclean shutdown');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(`ccee worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
