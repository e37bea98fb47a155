// Platform failures: a backend that fails is retried with backoff, then the job ends `failed` and stays in the DLQ.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { inject } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { startWorker, type RunningWorker } from '../../containers/worker/start-worker.js';
import type { ExecutionBackend } from '../../containers/worker/execution-backend.js';
import { createTestApp, testConfig } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let t: Awaited<ReturnType<typeof createTestApp>>;
let worker: RunningWorker;
let calls = 0;

// Stands in for a runner that cannot start (Spot capacity gone, host out of pids): the failure is the platform's.
const brokenBackend: ExecutionBackend = {
  execute: async () => {
    calls++;
    throw new Error('runner unavailable');
  },
  close: async () => {},
};

beforeAll(async () => {
  t = await createTestApp();
  worker = await startWorker({
    config: testConfig({ WORKER_CONCURRENCY: '1' }),
    redisUrl: inject('redisUrl'),
    logger: createLogger('silent'),
    keys: t.keys,
    backend: brokenBackend,
  });
});
afterAll(async () => {
  await worker.close();
  await t.close();
});

test('three attempts, then status failed with outcome internal_error, and the job kept in the failed set', async () => {
  const { jobId } = (await (await t.submit({ language: 'python', sourceCode: 'print(1)' })).json()) as {
    jobId: string;
  };
  const job = await waitFor(
    async () => {
      const view = (await (await t.request(`/v1/jobs/${jobId}`)).json()) as { status: string };
      return view.status === 'failed' ? view : undefined;
    },
    { timeoutMs: 15_000 },
  );
  expect(job).toMatchObject({ status: 'failed', outcome: 'internal_error', attempts: 3, result: null });
  expect(calls).toBe(3);
  const failed = await t.queue.getFailed();
  expect(failed.map((j) => j.id)).toContain(jobId);
  expect((await t.queue.getJob(jobId))?.attemptsMade).toBe(3);
});
