// When the queue cannot take a job, the record just stored is removed and the client gets a 503: nothing half-done.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createJobQueue } from '../../core/jobs/job-queue.js';
import { JobStore } from '../../core/jobs/job-store.js';
import { createRedis } from '../../core/redis/connection.js';
import { findFreePort } from '../../core/redis/redis-server-process.js';
import { createApp } from '../../lambdas/api/app.js';
import { createTestApp, KEY_A } from '../support/test-app.js';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp({ ENQUEUE_TIMEOUT_MS: '300' });
});
afterAll(() => t.close());

test('enqueue failure -> 503 queue_unavailable and no job left in history', async () => {
  // A queue whose Redis is down (nothing listens on the port); the job store still works.
  const deadRedis = createRedis(`redis://127.0.0.1:${await findFreePort()}`, 'producer');
  deadRedis.on('error', () => {});
  const deadQueue = createJobQueue(deadRedis, t.keys);
  deadQueue.on('error', () => {});
  const app = createApp({ ...t.deps, queue: deadQueue });
  const started = Date.now();
  const res = await app.request('/v1/jobs', {
    method: 'POST',
    headers: { 'x-api-key': KEY_A, 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'python', sourceCode: 'print(1)' }),
  });
  expect(res.status).toBe(503);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('queue_unavailable');
  expect((await t.deps.store.list('tenant-a', 10)).jobs).toEqual([]);
  expect(await t.deps.redis.keys(`${t.keys.namespace}:*`)).toEqual([]);
  expect(await t.deps.journal.overdue(0, 100)).toEqual([]);
  await deadQueue.close().catch(() => {});
  deadRedis.disconnect();
});

test('Redis down for the whole request -> 503 service_unavailable, never a 500', async () => {
  const deadRedis = createRedis(`redis://127.0.0.1:${await findFreePort()}`, 'producer');
  deadRedis.on('error', () => {});
  const app = createApp({ ...t.deps, redis: deadRedis, store: new JobStore(deadRedis, t.keys, 60) });
  const post = await app.request('/v1/jobs', {
    method: 'POST',
    headers: { 'x-api-key': KEY_A, 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'python', sourceCode: 'print(1)' }),
  });
  expect(post.status).toBe(503);
  const list = await app.request('/v1/jobs', { headers: { 'x-api-key': KEY_A } });
  expect(list.status).toBe(503);
  expect((await app.request('/health')).status).toBe(503);
  deadRedis.disconnect();
});
