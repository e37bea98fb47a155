// A worker that dies mid-job: the job is taken over by another worker; if that keeps happening, the record ends failed.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Worker } from 'bullmq';
import { createLogger } from '../../core/logger.js';
import { createRedis } from '../../core/redis/connection.js';
import type { ExecutionBackend } from '../../containers/worker/execution-backend.js';
import { createJobWorker } from '../../containers/worker/job-worker.js';
import type { ExecutionResult } from '../../core/model/execution-result.js';
import { createTestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let t: Awaited<ReturnType<typeof createTestApp>>;
const redis = createRedis(inject('redisUrl'), 'worker');
const logger = createLogger('silent');
const workers: Worker[] = [];

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close(true)));
  redis.disconnect();
  await t.close();
});

// The dead worker's backend: the program "runs" until the worker is gone.
const hangingBackend: ExecutionBackend = { execute: () => new Promise(() => {}), close: async () => {} };
const result: ExecutionResult = {
  outcome: 'success',
  exitCode: 0,
  signal: null,
  stdout: 'ok\n',
  stderr: '',
  stdoutTruncated: false,
  stderrTruncated: false,
  wallTimeMs: 1,
  cpuTimeMs: 1,
  peakMemoryBytes: 1,
  peakProcesses: 1,
};
const workingBackend: ExecutionBackend = { execute: async () => result, close: async () => {} };

function worker(backend: ExecutionBackend, maxStalledCount: number) {
  const w = createJobWorker({
    connection: redis,
    keys: t.keys,
    concurrency: 1,
    store: t.deps.store,
    backend,
    logger,
    lockDurationMs: 1000,
    stalledIntervalMs: 300,
    maxStalledCount,
  });
  workers.push(w);
  return w;
}

async function submitAndCrashFirstWorker(): Promise<string> {
  const { jobId } = (await (await t.submit({ language: 'python', sourceCode: 'print(1)' })).json()) as {
    jobId: string;
  };
  const doomed = worker(hangingBackend, 1);
  await waitFor(async () =>
    (await t.deps.store.get('tenant-a', jobId))?.status === 'running' ? true : undefined,
  );
  // Like SIGKILL: stop without finishing the job or releasing its lock.
  await doomed.close(true);
  return jobId;
}

test('the job of a dead worker is run by another one', async () => {
  const jobId = await submitAndCrashFirstWorker();
  const rescuer = worker(workingBackend, 1);
  const job = await waitFor(async () => {
    const stored = await t.deps.store.get('tenant-a', jobId);
    return stored?.status === 'completed' ? stored : undefined;
  });
  expect(job.result?.stdout).toBe('ok\n');
  await rescuer.close();
});

test('a job that stalls past maxStalledCount ends failed, not running forever', async () => {
  const jobId = await submitAndCrashFirstWorker();
  const strict = worker(workingBackend, 0);
  const job = await waitFor(async () => {
    const stored = await t.deps.store.get('tenant-a', jobId);
    return stored?.status === 'failed' ? stored : undefined;
  });
  expect(job).toMatchObject({ status: 'failed', outcome: 'internal_error' });
  expect((await t.queue.getJob(jobId))?.failedReason).toMatch(/stalled/);
  await strict.close();
});
