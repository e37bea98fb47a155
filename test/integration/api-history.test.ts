// History pagination, the seed's /executions aliases and /health, through the real app and real Redis.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestApp, KEY_B } from '../support/test-app.js';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface Page {
  jobs: { jobId: string; sourceCode?: string }[];
  nextCursor: string | null;
}

test('history is newest first and pages with a cursor until nextCursor is null', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await t.submit({ language: 'javascript', sourceCode: `console.log(${i})` }, KEY_B);
    ids.push(((await res.json()) as { jobId: string }).jobId);
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
    const page = (await (await t.request(`/v1/jobs${query}`, { key: KEY_B })).json()) as Page;
    expect(page.jobs.length).toBeLessThanOrEqual(2);
    // The list leaves out the source; one job's read has it.
    for (const job of page.jobs) expect(job.sourceCode).toBeUndefined();
    seen.push(...page.jobs.map((j) => j.jobId));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  expect(seen).toEqual([...ids].reverse());
  expect(pages).toBe(3);

  const alias = (await (await t.request('/executions?limit=10', { key: KEY_B })).json()) as Page;
  expect(alias.jobs.map((j) => j.jobId)).toEqual([...ids].reverse());
  expect(alias.nextCursor).toBeNull();
});

test('limit and cursor are validated', async () => {
  for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=2.5', 'cursor=bad', 'cursor=%7Bt:x%7D']) {
    const res = await t.request(`/v1/jobs?${q}`);
    expect(res.status, q).toBe(400);
  }
  expect((await t.request('/v1/jobs?limit=100')).status).toBe(200);
  expect((await t.request('/v1/jobs?limit=1')).status).toBe(200);
});

test('POST /executions and GET /executions/:id/logs are aliases of the job routes', async () => {
  const res = await t.request('/executions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'python', sourceCode: 'print(1)' }),
  });
  expect(res.status).toBe(202);
  const { jobId } = (await res.json()) as { jobId: string };
  expect(((await (await t.request(`/executions/${jobId}`)).json()) as { jobId: string }).jobId).toBe(jobId);
  const logs = await (await t.request(`/executions/${jobId}/logs`)).json();
  expect(logs).toEqual({
    jobId,
    status: 'queued',
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    compileOutput: null,
  });
});

test('/health reports Redis and the queue depth without auth', async () => {
  const before = (await (await t.request('/health', { key: null })).json()) as {
    status: string;
    queue: { waiting: number };
  };
  await t.submit({ language: 'python', sourceCode: 'print(1)' });
  const after = (await (await t.request('/health', { key: null })).json()) as {
    status: string;
    queue: { waiting: number };
  };
  expect(before.status).toBe('ok');
  expect(after.queue.waiting).toBe(before.queue.waiting + 1);
});

test('unknown routes are a JSON 404', async () => {
  const res = await t.request('/v2/nothing');
  expect(res.status).toBe(404);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
});

test('records and history expire after JOB_RETENTION_SECONDS; older history entries are trimmed', async () => {
  const retention = t.deps.config.JOB_RETENTION_SECONDS;
  const { jobId } = (await (await t.submit({ language: 'python', sourceCode: 'print(1)' })).json()) as {
    jobId: string;
  };
  const jobTtl = await t.deps.redis.ttl(t.keys.job('tenant-a', jobId));
  const historyTtl = await t.deps.redis.ttl(t.keys.jobHistory('tenant-a'));
  expect(jobTtl).toBeGreaterThan(retention - 5);
  expect(jobTtl).toBeLessThanOrEqual(retention);
  expect(historyTtl).toBeGreaterThan(retention - 5);

  // A job created "one retention ago" is trimmed from history by the next create.
  const old = {
    ...(await t.deps.store.get('tenant-a', jobId))!,
    jobId: '00000000000000000000000000',
    createdAt: 0,
  };
  await t.deps.redis.zadd(t.keys.jobHistory('tenant-a'), 0, old.jobId);
  await t.submit({ language: 'python', sourceCode: 'print(2)' });
  expect(await t.deps.redis.zscore(t.keys.jobHistory('tenant-a'), old.jobId)).toBeNull();
  expect(await t.deps.redis.zscore(t.keys.jobHistory('tenant-a'), jobId)).not.toBeNull();
});
