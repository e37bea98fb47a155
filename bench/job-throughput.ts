// Jobs per second through the whole platform (HTTP submit, Redis, BullMQ, worker, sandbox, poll)
// against the baseline of the same jobs run straight through the sandbox at the same concurrency.
// Run as root: npx tsx bench/job-throughput.ts [jobs]
import os from 'node:os';
import { BwrapSandbox } from '../containers/runner/bwrap-sandbox.js';
import { startDevStack } from './support/start-dev.js';

const jobs = Number(process.argv[2] ?? 60);
const concurrency = os.availableParallelism();
const program = {
  language: 'python' as const,
  sourceCode: 'print("hello")',
  stdin: '',
  timeoutMs: 3000,
  memoryMb: 128,
  cpuMillicores: 1000,
};

async function direct(): Promise<number> {
  const sandbox = await BwrapSandbox.create({ workDir: '/run/ccee-bench', cgroupName: 'ccee-bench' });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs) {
        next++;
        const result = await sandbox.run({ ...program, jobId: `bench-${next}` });
        if (result.outcome !== 'success') throw new Error(`direct run: ${result.outcome}`);
      }
    }),
  );
  const elapsed = performance.now() - started;
  await sandbox.close();
  return elapsed;
}

async function platform(): Promise<number> {
  const stack = await startDevStack({ WORKER_CONCURRENCY: String(concurrency) });
  const headers = { 'x-api-key': 'dev-local-key', 'content-type': 'application/json' };
  try {
    const started = performance.now();
    const ids = await Promise.all(
      Array.from({ length: jobs }, async () => {
        const res = await fetch(`${stack.url}/v1/jobs`, {
          method: 'POST',
          headers,
          body: JSON.stringify(program),
        });
        return ((await res.json()) as { jobId: string }).jobId;
      }),
    );
    for (const id of ids) {
      for (;;) {
        const job = (await (await fetch(`${stack.url}/v1/jobs/${id}`, { headers })).json()) as {
          status: string;
          outcome: string;
        };
        if (job.status === 'completed' || job.status === 'failed') {
          if (job.outcome !== 'success') throw new Error(`platform run: ${job.outcome}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    return performance.now() - started;
  } finally {
    await stack.stop();
  }
}

const baseline = await direct();
const measured = await platform();
const rate = (ms: number) => ((jobs / ms) * 1000).toFixed(1);
console.log(`${jobs} python hello-world jobs, ${concurrency} at a time`);
console.log(
  `sandbox.run directly (baseline)   ${baseline.toFixed(0).padStart(6)} ms  ${rate(baseline)} jobs/s`,
);
console.log(
  `through the platform (HTTP+queue) ${measured.toFixed(0).padStart(6)} ms  ${rate(measured)} jobs/s  ratio ${(measured / baseline).toFixed(2)}x time`,
);
