// The README's quick start as a newcomer runs it: `npm run dev` starts Redis, worker and API, runs a job, and Ctrl-C leaves nothing behind.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, expect, test } from 'vitest';
import { findFreePort } from '../../core/redis/redis-server-process.js';
import { startProcess, TSX } from '../support/child-process.js';
import { waitFor } from '../support/wait-for.js';

const scratch = mkdtempSync(`${tmpdir()}/ccee-dev-test-`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function startDev(env: Record<string, string>) {
  return startProcess(TSX, ['bin/dev.ts'], { DEV_REDIS_DIR: `${scratch}/redis`, LOG_LEVEL: 'info', ...env });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

test('starts everything, runs the seed example with dev-local-key, and SIGINT stops Redis too', async () => {
  const port = await findFreePort();
  const dev = startDev({ PORT: String(port) });
  await waitFor(async () => (dev.output().includes('CCEE is running') ? true : undefined), {
    timeoutMs: 30_000,
  });
  const redisPort = Number(/redis:\/\/127\.0\.0\.1:(\d+)/.exec(dev.output())?.[1]);
  expect(await portOpen(redisPort)).toBe(true);

  const base = `http://127.0.0.1:${port}`;
  expect((await fetch(`${base}/`)).status).toBe(200);
  const res = await fetch(`${base}/v1/jobs`, {
    method: 'POST',
    headers: { 'x-api-key': 'dev-local-key', 'content-type': 'application/json' },
    body: JSON.stringify({
      language: 'python',
      sourceCode: 'print("hello")',
      timeoutMs: 3000,
      memoryMb: 256,
      cpuMillicores: 256,
    }),
  });
  const { jobId } = (await res.json()) as { jobId: string };
  const job = await waitFor(async () => {
    const view = (await (
      await fetch(`${base}/v1/jobs/${jobId}`, { headers: { 'x-api-key': 'dev-local-key' } })
    ).json()) as {
      status: string;
      result: { stdout: string } | null;
    };
    return view.status === 'completed' ? view : undefined;
  });
  expect(job.result?.stdout).toBe('hello\n');

  dev.child.kill('SIGINT');
  expect(await dev.exited).toBe(0);
  expect(await portOpen(port)).toBe(false);
  expect(await portOpen(redisPort)).toBe(false);
});

test('a port in use is named, and the launcher exits 1 after stopping its Redis', async () => {
  const blocker = net.createServer().listen(0, '0.0.0.0');
  await new Promise((r) => blocker.once('listening', r));
  const port = (blocker.address() as net.AddressInfo).port;
  const dev = startDev({ PORT: String(port) });
  expect(await dev.exited).toBe(1);
  expect(dev.output()).toContain(`port ${port} is already in use; set PORT to a free port`);
  const redisPort = Number(/redis:\/\/127\.0\.0\.1:(\d+)/.exec(dev.output())?.[1]);
  expect(await portOpen(redisPort)).toBe(false);
  blocker.close();
});

test('a missing redis-server is named with the command that installs it', async () => {
  // A PATH that has node (tsx needs it) and nothing else.
  const bin = `${scratch}/bin`;
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, `${bin}/node`);
  const dev = startDev({ PATH: bin });
  expect(await dev.exited).toBe(1);
  expect(dev.output()).toContain('redis-server is not installed');
  expect(dev.output()).toContain('apt-get install -y redis-server bubblewrap python3-seccomp');
});

test('a bad variable stops it before anything starts, naming the variable', async () => {
  const dev = startDev({ PORT: 'http' });
  expect(await dev.exited).toBe(1);
  expect(dev.output()).toMatch(/PORT \(got "http"\)/);
  expect(dev.output()).not.toContain('started redis-server');
});
