// Starts `bin/dev.ts` (Redis, worker, API) as a child process for a benchmark, so load and server do not share a core's event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { findFreePort } from '../../core/redis/redis-server-process.js';

export interface DevStack {
  url: string;
  stop(): Promise<void>;
}

export async function startDevStack(env: Record<string, string> = {}): Promise<DevStack> {
  const port = await findFreePort();
  const dataDir = mkdtempSync(`${tmpdir()}/ccee-bench-`);
  const child: ChildProcess = spawn('node_modules/.bin/tsx', ['bin/dev.ts'], {
    env: { PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: 'warn', DEV_REDIS_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('CCEE is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`dev stack exited with ${code}: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
