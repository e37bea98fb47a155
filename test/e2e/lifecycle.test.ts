// The whole job lifecycle over real HTTP: API server, Redis, BullMQ worker and the real sandbox, as `npm run dev` wires them.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { startWorker, type RunningWorker } from '../../containers/worker/start-worker.js';
import { startApiServer, type ApiServer } from '../../lambdas/api/server.js';
import { KEY_A, randomKeySpace, testConfig } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let api: ApiServer;
let worker: RunningWorker;
const logLines: string[] = [];

beforeAll(async () => {
  const config = testConfig({ WORKER_CONCURRENCY: '2' });
  const keys = randomKeySpace();
  const logger = createLogger('debug', 'ccee-test', { write: (line: string) => void logLines.push(line) });
  worker = await startWorker({ config, redisUrl: inject('redisUrl'), logger, keys });
  api = await startApiServer({ config, redisUrl: inject('redisUrl'), logger, keys, port: 0 });
});
afterAll(async () => {
  await api?.close();
  await worker?.close();
});

interface JobView {
  jobId: string;
  status: string;
  outcome: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  queueWaitMs: number | null;
  runMs: number | null;
  result: {
    stdout: string;
    stderr: string;
    exitCode: number | null;
    signal: string | null;
    wallTimeMs: number;
    cpuTimeMs: number;
    peakMemoryBytes: number;
    stdoutTruncated: boolean;
    compile?: { stdout: string; stderr: string };
  } | null;
}

async function run(body: Record<string, unknown>): Promise<JobView> {
  const res = await fetch(`${api.url}/v1/jobs`, {
    method: 'POST',
    headers: { 'x-api-key': KEY_A, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  const { jobId } = (await res.json()) as { jobId: string };
  return waitFor(
    async () => {
      const job = (await (
        await fetch(`${api.url}/v1/jobs/${jobId}`, { headers: { 'x-api-key': KEY_A } })
      ).json()) as JobView;
      return job.status === 'completed' || job.status === 'failed' ? job : undefined;
    },
    { timeoutMs: 45_000 },
  );
}

describe("the seed README's examples", () => {
  test('java: javac then java prints hello with the seed limits (3 s, 256 MiB, 256 millicores)', async () => {
    const job = await run({
      language: 'java',
      sourceCode:
        'public class Main { public static void main(String[] args) { System.out.println("hello"); } }',
      timeoutMs: 3000,
      memoryMb: 256,
      cpuMillicores: 256,
    });
    expect(job).toMatchObject({ status: 'completed', outcome: 'success' });
    expect(job.result?.stdout).toBe('hello\n');
    expect(job.result?.compile).toBeDefined();
  });

  test.each([
    ['python', 'import sys\nprint(sys.stdin.read().upper(), end="")'],
    ['javascript', 'process.stdin.on("data", d => process.stdout.write(String(d).toUpperCase()))'],
  ])('%s echoes stdin, with timestamps and measurements filled', async (language, sourceCode) => {
    const job = await run({ language, sourceCode, stdin: 'hello from stdin\n' });
    expect(job).toMatchObject({ status: 'completed', outcome: 'success' });
    expect(job.result?.stdout).toBe('HELLO FROM STDIN\n');
    expect(job.result?.exitCode).toBe(0);
    expect(job.result?.cpuTimeMs).toBeGreaterThan(0);
    expect(job.result?.peakMemoryBytes).toBeGreaterThan(1024 * 1024);
    const created = Date.parse(job.createdAt);
    const started = Date.parse(job.startedAt!);
    const finished = Date.parse(job.finishedAt!);
    expect(created).toBeLessThanOrEqual(started);
    expect(started).toBeLessThanOrEqual(finished);
    expect(job.queueWaitMs).toBe(started - created);
    expect(job.runMs).toBe(finished - started);
  });
});

describe('hostile programs come back with the right outcome and measurements', () => {
  test('memory bomb under 256 MiB -> memory_limit_exceeded, peak memory near the limit', async () => {
    const job = await run({
      language: 'python',
      sourceCode: 'x = bytearray(1024 * 1024 * 1024)\nprint("survived")',
      memoryMb: 256,
    });
    expect(job.outcome).toBe('memory_limit_exceeded');
    expect(job.result?.stdout).toBe('');
    expect(job.result?.peakMemoryBytes).toBeGreaterThan(200 * 1024 * 1024);
    expect(job.result?.peakMemoryBytes).toBeLessThanOrEqual(256 * 1024 * 1024);
  });

  test('infinite loop -> time_limit_exceeded at the wall-clock limit with CPU time filled', async () => {
    const job = await run({ language: 'javascript', sourceCode: 'for (;;) {}', timeoutMs: 1000 });
    expect(job.outcome).toBe('time_limit_exceeded');
    expect(job.result?.wallTimeMs).toBeGreaterThanOrEqual(1000);
    expect(job.result?.wallTimeMs).toBeLessThan(2500);
    expect(job.result?.cpuTimeMs).toBeGreaterThan(500);
  });

  test('fork bomb is contained and the job ends', async () => {
    const job = await run({
      language: 'python',
      sourceCode: 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass',
      timeoutMs: 2000,
    });
    expect(job.status).toBe('completed');
    expect(['time_limit_exceeded', 'runtime_error', 'memory_limit_exceeded']).toContain(job.outcome);
    expect(job.result?.cpuTimeMs).toBeGreaterThan(0);
  });

  test('java compile error -> compile_error with the compiler output', async () => {
    const job = await run({
      language: 'java',
      sourceCode: 'public class Main { public static void main(String[] a) { int x = "no"; } }',
    });
    expect(job.outcome).toBe('compile_error');
    expect(`${job.result?.compile?.stdout}${job.result?.compile?.stderr}`).toMatch(/incompatible types/);
  });

  test('non-zero exit -> runtime_error with the exit code', async () => {
    const job = await run({ language: 'python', sourceCode: 'import sys\nsys.exit(3)' });
    expect(job).toMatchObject({ status: 'completed', outcome: 'runtime_error' });
    expect(job.result?.exitCode).toBe(3);
  });
});

describe('logs', () => {
  test('every line about a job names job and tenant; no source, stdin or key ever appears', async () => {
    const marker = 'SECRET_SOURCE_MARKER_7f3a';
    const job = await run({
      language: 'python',
      sourceCode: `print("${marker}")`,
      stdin: 'STDIN_MARKER_9c1e',
    });
    expect(job.result?.stdout).toBe(`${marker}\n`);
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const aboutJob = lines.filter((l) => l.jobId === job.jobId);
    expect(aboutJob.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['job queued', 'job running', 'job completed']),
    );
    for (const line of lines.filter((l) => 'jobId' in l)) expect(line.tenantId).toBe('tenant-a');
    const all = logLines.join('\n');
    expect(all).not.toContain(marker);
    expect(all).not.toContain('STDIN_MARKER_9c1e');
    expect(all).not.toContain(KEY_A);
  });
});
