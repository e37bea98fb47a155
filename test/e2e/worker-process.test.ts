// `npm run worker` as its own process: refuses to start without REDIS_URL, runs jobs against REDIS_URL, drains on SIGTERM.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createTestApp } from '../support/test-app.js';
import { startProcess, TSX } from '../support/child-process.js';
import { waitFor } from '../support/wait-for.js';

const WORKER_ENTRY = 'containers/worker/main.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function runWorker(env: Record<string, string>) {
  return startProcess(TSX, [WORKER_ENTRY], env);
}

test('without REDIS_URL it exits non-zero naming the variable', async () => {
  const worker = runWorker({});
  expect(await worker.exited).toBe(1);
  expect(worker.output()).toMatch(/REDIS_URL: is required/);
});

test('with a bad variable it exits non-zero naming it', async () => {
  const worker = runWorker({ REDIS_URL: inject('redisUrl'), WORKER_CONCURRENCY: 'lots' });
  expect(await worker.exited).toBe(1);
  expect(worker.output()).toMatch(/WORKER_CONCURRENCY/);
});

test('when the sandbox cannot be set up it refuses to start and never runs code unsandboxed', async () => {
  const worker = runWorker({ REDIS_URL: inject('redisUrl'), SANDBOX_WORK_DIR: '/proc/ccee-cannot-exist' });
  expect(await worker.exited).toBe(1);
  expect(worker.output()).toMatch(/The code sandbox cannot start on this machine/);
  expect(worker.output()).toMatch(/cannot create the work dir \/proc\/ccee-cannot-exist/);
});

test('runs queued jobs from REDIS_URL and exits 0 on SIGTERM', async () => {
  const { jobId } = (await (await t.submit({ language: 'python', sourceCode: 'print(6 * 7)' })).json()) as {
    jobId: string;
  };
  // The worker process must use the same key namespace as the test app.
  const worker = runWorker({
    REDIS_URL: inject('redisUrl'),
    CCEE_KEY_NAMESPACE: t.keys.namespace,
    LOG_LEVEL: 'info',
  });
  const job = await waitFor(async () => {
    const stored = await t.deps.store.get('tenant-a', jobId);
    return stored?.status === 'completed' ? stored : undefined;
  });
  expect(job.result?.stdout).toBe('42\n');
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
  expect(worker.output()).toMatch(/draining/);
});
