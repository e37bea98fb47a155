// Builds the real API app against the tests' real Redis, in a key namespace of its own so tests never collide.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { createRedis } from '../../core/redis/connection.js';
import { KeySpace } from '../../core/redis/keys.js';
import { createApp } from '../../lambdas/api/app.js';
import { createAppDeps } from '../../lambdas/api/context.js';

export const TENANT_KEYS = {
  'key-tenant-a-000001': 'tenant-a',
  'key-tenant-b-000001': 'tenant-b',
};
export const KEY_A = 'key-tenant-a-000001';
export const KEY_B = 'key-tenant-b-000001';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ TENANT_API_KEYS_JSON: JSON.stringify(TENANT_KEYS), LOG_LEVEL: 'silent', ...env });
}

export function randomKeySpace(): KeySpace {
  return new KeySpace(`test-${randomBytes(6).toString('hex')}`);
}

export async function createTestApp(env: Record<string, string> = {}) {
  const config = testConfig(env);
  const keys = randomKeySpace();
  const redis = createRedis(inject('redisUrl'), 'worker');
  const deps = createAppDeps({
    config,
    redis,
    keys,
    logger: createLogger('silent'),
    apiKeys: config.TENANT_API_KEYS_JSON ?? {},
  });
  const { queue } = deps;
  const app = createApp(deps);
  const request = (path: string, init: RequestInit & { key?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    if (init.key !== null) headers.set('x-api-key', init.key ?? KEY_A);
    return app.request(path, { ...init, headers });
  };
  const submit = (body: unknown, key: string = KEY_A) =>
    request('/v1/jobs', {
      method: 'POST',
      key,
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const close = async () => {
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    const stale = [
      ...(await redis.keys(`${keys.namespace}:*`)),
      ...(await redis.keys(`${keys.queuePrefix}:*`)),
    ];
    if (stale.length > 0) await redis.del(...stale);
    redis.disconnect();
  };
  return { app, deps, keys, queue, request, submit, close };
}
