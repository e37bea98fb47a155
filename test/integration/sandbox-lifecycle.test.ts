// Sandbox lifecycle: prerequisites, per-job cgroups and workspaces removed after every job, close(), hostile job ids.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BwrapSandbox,
  checkSandboxPrerequisites,
  SandboxUnavailableError,
} from '../../containers/runner/bwrap-sandbox.js';
import { TEST_LIMITS } from '../security/sandbox-harness.js';

const name = `ccee-lifecycle-${randomBytes(4).toString('hex')}`;
const workDir = `/run/${name}`;
const controllers = ['memory', 'pids', 'cpu', 'cpuacct'].map((c) => `/sys/fs/cgroup/${c}/${name}`);
let sandbox: BwrapSandbox;
/** Child cgroups (directories) of a cgroup directory. */
const subdirs = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

beforeAll(async () => {
  sandbox = await BwrapSandbox.create({ ...TEST_LIMITS, cgroupName: name, workDir });
});
afterAll(async () => {
  await sandbox.close();
  rmdirSync(workDir);
});

const request = (sourceCode: string, jobId = 'lifecycle') => ({
  jobId,
  language: 'python' as const,
  sourceCode,
  stdin: '',
  timeoutMs: 1000,
  memoryMb: 128,
  cpuMillicores: 500,
});

describe('sandbox lifecycle', () => {
  it('finds no missing prerequisite on this host', () => {
    expect(checkSandboxPrerequisites()).toEqual([]);
  });

  it('explains a missing prerequisite with its fix', () => {
    const problems = checkSandboxPrerequisites('/nonexistent-cgroup-root');
    expect(problems.join('\n')).toMatch(/no usable cgroups/);
    const error = new SandboxUnavailableError(problems);
    expect(error.message).toContain('cannot start');
    expect(error.problems).toEqual(problems);
  });

  it('removes the job cgroups and workspace after success, timeout and OOM', async () => {
    await Promise.all([
      sandbox.run(request('print(1)')),
      sandbox.run(request('while True: pass')),
      sandbox.run(request('b = b"x" * (1 << 30)')),
      sandbox.run({
        ...request('public class Main { public static void main(String[] a) { } }'),
        language: 'java',
        memoryMb: 256,
      }),
    ]);
    for (const dir of controllers) expect(subdirs(`${dir}/${sandbox.instanceId}`)).toEqual([]);
    expect(readdirSync(`${workDir}/${sandbox.instanceId}`)).toEqual(['seccomp.bpf']);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(workDir);
  });

  it('treats job ids with shell metacharacters as plain data', async () => {
    const result = await sandbox.run(request('print("ok")', 'x; touch /tmp/pwned `id` $(id)\n../../etc'));
    expect(result).toMatchObject({ outcome: 'success', stdout: 'ok\n' });
    expect(existsSync('/tmp/pwned')).toBe(false);
  });

  it('keeps working when another instance sharing the subtree name closes it', async () => {
    const other = await BwrapSandbox.create({ ...TEST_LIMITS, cgroupName: name, workDir });
    await other.close(); // removes the (empty) shared subtree under this file's sandbox
    const result = await sandbox.run(request('print("after")'));
    expect(result).toMatchObject({ outcome: 'success', stdout: 'after\n' });
  });

  it('removes its cgroup subtree, its work dir level and seccomp file on close', async () => {
    const other = await BwrapSandbox.create({ ...TEST_LIMITS, cgroupName: `${name}-b`, workDir });
    expect(other.instanceId).toMatch(new RegExp(`^inst-\\d+-${process.pid}-\\d+-[0-9a-f]{8}$`));
    await other.run(request('print(1)'));
    await other.close();
    for (const c of ['memory', 'pids', 'cpu', 'cpuacct'])
      expect(existsSync(`/sys/fs/cgroup/${c}/${name}-b`)).toBe(false);
    expect(readdirSync(workDir)).toEqual([sandbox.instanceId]);
  });

  it('keeps the subtree while another instance still uses it', async () => {
    const other = await BwrapSandbox.create({ ...TEST_LIMITS, cgroupName: name, workDir });
    expect(other.instanceId).not.toBe(sandbox.instanceId);
    await other.close();
    for (const dir of controllers) expect(subdirs(dir)).toEqual([sandbox.instanceId]);
  });
});
