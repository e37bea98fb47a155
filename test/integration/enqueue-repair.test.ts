// A submission interrupted between "stored" and "queued" is finished by the repair sweep, exactly once.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { repairUnqueuedJobs } from '../../core/jobs/enqueue-journal.js';
import { newJobId } from '../../core/ids.js';
import type { JobRecord } from '../../core/model/job.js';
import { createTestApp } from '../support/test-app.js';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function record(jobId: string): JobRecord {
  return {
    jobId,
    tenantId: 'tenant-a',
    status: 'queued',
    language: 'python',
    sourceCode: 'print(1)',
    stdin: '',
    timeoutMs: 1000,
    memoryMb: 64,
    cpuMillicores: 500,
    createdAt: Date.now(),
    attempts: 0,
  };
}

const repair = () => repairUnqueuedJobs({ ...t.deps, logger: t.deps.logger }, 0);

test('a normal submit leaves no journal entry behind', async () => {
  await t.submit({ language: 'python', sourceCode: 'print(1)' });
  expect(await t.deps.journal.overdue(0, 100)).toEqual([]);
});

test('stored but never queued (the API died in between) -> the sweep queues it once', async () => {
  const jobId = newJobId();
  // The first two steps of submitJob, then the "crash".
  await t.deps.journal.begin('tenant-a', jobId);
  await t.deps.store.create(record(jobId));
  expect(await t.queue.getJob(jobId)).toBeUndefined();

  expect(await repair()).toBe(1);
  expect((await t.queue.getJob(jobId))?.data).toEqual({ tenantId: 'tenant-a', jobId });
  expect(await t.deps.journal.overdue(0, 100)).toEqual([]);
  expect(await repair()).toBe(0);
});

test('entries whose job was queued, removed or already ran are dropped without a second enqueue', async () => {
  const queued = newJobId();
  await t.deps.journal.begin('tenant-a', queued);
  await t.deps.store.create(record(queued));
  await t.queue.add('execute', { tenantId: 'tenant-a', jobId: queued }, { jobId: queued });

  const neverStored = newJobId();
  await t.deps.journal.begin('tenant-a', neverStored);

  const finished = newJobId();
  await t.deps.journal.begin('tenant-a', finished);
  await t.deps.store.create({ ...record(finished), status: 'completed', outcome: 'success' });

  const waitingBefore = (await t.queue.getJobCounts('waiting')).waiting;
  expect(await repair()).toBe(0);
  expect((await t.queue.getJobCounts('waiting')).waiting).toBe(waitingBefore);
  expect(await t.deps.journal.overdue(0, 100)).toEqual([]);
});

test('entries younger than the grace period are left for the API to finish', async () => {
  const jobId = newJobId();
  await t.deps.journal.begin('tenant-a', jobId);
  await t.deps.store.create(record(jobId));
  expect(await repairUnqueuedJobs(t.deps, 30_000)).toBe(0);
  expect(await t.queue.getJob(jobId)).toBeUndefined();
  await t.deps.journal.end('tenant-a', jobId);
});
