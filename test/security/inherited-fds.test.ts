// A worker started with stray open fds (from a shell, a supervisor) must not hand them to sandboxed programs.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

const CHILD = fileURLToPath(new URL('./inherited-fds-child.ts', import.meta.url));
const name = `ccee-fds-${randomBytes(4).toString('hex')}`;
afterAll(() => rmSync(`/run/${name}`, { recursive: true, force: true }));

test('fds the worker inherited without close-on-exec are closed before any job runs', async () => {
  // bash opens fd 47 (and 9) without close-on-exec, as a careless parent would, then execs the worker.
  const script = 'exec 9</etc/hostname 47</etc/passwd; exec "$0" --import tsx "$@"';
  const { stdout } = await promisify(execFile)(
    '/bin/bash',
    ['-c', script, process.execPath, CHILD, name, `/run/${name}`],
    { env: { PATH: process.env.PATH } },
  );
  const fds = JSON.parse(stdout.trim().split('\n').at(-1)!) as number[];
  // 0-2 are stdio; the one more is the listing's own directory fd.
  expect(fds.filter((fd) => fd > 2).length).toBeLessThanOrEqual(1);
  expect(fds).not.toContain(47);
  expect(fds).not.toContain(9);
});
