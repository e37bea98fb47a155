// The API as a Node HTTP server: builds the app's dependencies, listens on PORT, closes cleanly.
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import { createRedis } from '../../core/redis/connection.js';
import { KeySpace } from '../../core/redis/keys.js';
import { createApp } from './app.js';
import { createAppDeps, type AppDeps } from './context.js';

export interface ApiServerOptions {
  config: Config;
  redisUrl: string;
  logger: Logger;
  keys?: KeySpace;
  /** @defaultValue config.TENANT_API_KEYS_JSON */
  apiKeys?: NonNullable<Config['TENANT_API_KEYS_JSON']>;
  /** @defaultValue config.PORT; 0 picks a free port */
  port?: number;
  indexHtml?: string;
}

export interface ApiServer {
  url: string;
  port: number;
  deps: AppDeps;
  close(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { config, logger } = options;
  const keys = options.keys ?? new KeySpace(config.CCEE_KEY_NAMESPACE);
  const redis = createRedis(options.redisUrl, 'producer');
  // The producer connection fails fast; wait for the first connect so the first request does not.
  await new Promise<void>((resolve, reject) => {
    redis.once('ready', resolve);
    redis.once('error', reject);
  });
  const deps = createAppDeps({
    config,
    redis,
    keys,
    logger,
    apiKeys: options.apiKeys ?? config.TENANT_API_KEYS_JSON ?? {},
    indexHtml: options.indexHtml,
  });
  const { queue } = deps;
  if (deps.apiKeys.size === 0)
    logger.warn('TENANT_API_KEYS_JSON is empty: every /v1 request will be refused');
  const app = createApp(deps);
  const wantedPort = options.port ?? config.PORT;
  let server: ServerType;
  try {
    server = await new Promise((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: wantedPort, hostname: '0.0.0.0' }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (error) {
    await queue.close();
    redis.disconnect();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(`port ${wantedPort} is already in use; set PORT to a free port`);
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : wantedPort;
  logger.info({ port }, 'API listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deps,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close();
      redis.disconnect();
    },
  };
}
