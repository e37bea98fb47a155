// A worker SIGKILLed mid-job: the next BwrapSandbox.create() sharing its cgroupName/workDir removes its job
// cgroups (killing what is left inside), its mounted workspaces and its dirs, and leaves a live instance alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BwrapSandbox } from '../../containers/runner/bwrap-sandbox.js';
import { isInstanceDead, processStartTime } from '../../containers/runner/instance.js';
import { createLogger } from '../../core/logger.js';
import { hostProcessesMatching, TEST_LIMITS, uniqueMarker } from '../security/sandbox-harness.js';

const CHILD = fileURLToPath(new URL('./sandbox-crash-child.ts', import.meta.url));
const CONTROLLERS = ['memory', 'pids', 'cpu', 'cpuacct'];
const name = `ccee-crash-${randomBytes(4).toString('hex')}`;
const workDir = `/run/${name}`;
const level = (controller: string, instance: string) => `/sys/fs/cgroup/${controller}/${name}/${instance}`;
const subdirs = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];
const mountsBelow = (dir: string) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((path) => path.startsWith(`${dir}/`));
const procs = (dir: string) =>
  readFileSync(`${dir}/cgroup.procs`, 'utf8')
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number);

async function until(what: string, check: () => boolean, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode);
    else child.once('exit', (_code, signal) => resolve(signal));
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const toClose: BwrapSandbox[] = [];
const toKill: ChildProcess[] = [];
afterAll(async () => {
  // Only if the test failed half-way: by their pids, never by name.
  for (const child of toKill) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const sandbox of toClose) await sandbox.close();
  rmdirSync(workDir);
});

describe('leftovers of a worker killed mid-job', () => {
  it('are killed, unmounted and removed by the next create(), while a live instance keeps running', async () => {
    // The concurrently running instance; its job starts just before the crash and runs through the sweep.
    const live = await BwrapSandbox.create({ ...TEST_LIMITS, cgroupName: name, workDir });
    toClose.push(live);

    // The worker that dies: a Python job (bwrap-private workspace) and a Java job (host tmpfs), both sleeping.
    const marker = uniqueMarker('cr');
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, name, workDir, marker], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    toKill.push(child);
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
    const dead = (JSON.parse(firstLine) as { instanceId: string }).instanceId;
    expect(dead).toMatch(new RegExp(`^inst-\\d+-${child.pid}-\\d+-[0-9a-f]{8}$`));
    // Both jobs are in their run phase: processes in the job cgroups, the Java workspace mounted.
    await until('the child jobs to run', () => {
      if (child.exitCode !== null) throw new Error(`child exited with ${child.exitCode}`);
      const running = subdirs(level('pids', dead)).filter((job) => job.endsWith('-run'));
      return (
        running.length === 2 &&
        running.every((job) => procs(`${level('pids', dead)}/${job}`).length > 0) &&
        hostProcessesMatching(marker).length >= 2 &&
        mountsBelow(`${workDir}/${dead}`).length === 1
      );
    });
    const jobCgroups = subdirs(level('pids', dead));

    const liveJob = live.run({
      jobId: 'live',
      language: 'java',
      sourceCode:
        'public class Main { public static void main(String[] a) throws Exception { Thread.sleep(4000); System.out.println("survived"); } }',
      stdin: '',
      timeoutMs: 30_000,
      memoryMb: 256,
      cpuMillicores: 1000,
    });
    child.kill('SIGKILL');
    expect(await exited(child)).toBe('SIGKILL');

    // What the dead worker left: its levels, its workspace mount, and (planted here, standing in for
    // anything that outlived bwrap's --die-with-parent) a live process in one of its job cgroups.
    const planted = spawn('/usr/bin/sleep', ['1000'], { stdio: 'ignore' });
    toKill.push(planted);
    for (const controller of CONTROLLERS)
      writeFileSync(`${level(controller, dead)}/${jobCgroups[0]}/cgroup.procs`, String(planted.pid));
    const plantedExit = exited(planted);
    for (const controller of CONTROLLERS) expect(existsSync(level(controller, dead))).toBe(true);
    expect(mountsBelow(`${workDir}/${dead}`)).toHaveLength(1);
    expect(existsSync(`${workDir}/${dead}/seccomp.bpf`)).toBe(true);

    const lines: string[] = [];
    const logger = createLogger('info', 'ccee-test', { write: (line: string) => void lines.push(line) });
    const sweeper = await BwrapSandbox.create({ ...TEST_LIMITS, cgroupName: name, workDir }, logger);
    toClose.push(sweeper);

    expect(await Promise.race([plantedExit, sleep(15_000).then(() => 'still running')])).toBe('SIGKILL');
    expect(hostProcessesMatching(marker)).toEqual([]);
    for (const controller of CONTROLLERS) expect(existsSync(level(controller, dead))).toBe(false);
    expect(mountsBelow(`${workDir}/${dead}`)).toEqual([]);
    expect(existsSync(`${workDir}/${dead}`)).toBe(false);
    expect(lines.join('')).toContain(dead);

    // The live instance: its level, its in-flight job and that job's workspace untouched.
    // (Its job cgroup is there unless the sweep ended exactly between javac and java.)
    for (const controller of CONTROLLERS) {
      expect(existsSync(level(controller, live.instanceId))).toBe(true);
      for (const job of subdirs(level(controller, live.instanceId))) expect(job).toMatch(/^job-live-/);
    }
    expect(mountsBelow(`${workDir}/${live.instanceId}`)).toHaveLength(1);
    expect(existsSync(`${workDir}/${live.instanceId}/seccomp.bpf`)).toBe(true);
    expect(await liveJob).toMatchObject({ outcome: 'success', stdout: 'survived\n' });
    // And the sweeping instance runs jobs as usual.
    const after = await sweeper.run({
      jobId: 'after',
      language: 'python',
      sourceCode: 'print("ok")',
      stdin: '',
      timeoutMs: 3000,
      memoryMb: 128,
      cpuMillicores: 1000,
    });
    expect(after).toMatchObject({ outcome: 'success', stdout: 'ok\n' });
  });

  it('judges an owner dead only by pid and start time in our own pid namespace', () => {
    // Our pid namespace's inode, as recorded in an id this process made.
    const self = /^inst-(\d+)-/.exec(toClose[0]!.instanceId)![1]!;
    const start = processStartTime(process.pid)!;
    expect(isInstanceDead(`inst-${self}-${process.pid}-${start}-00000000`)).toBe(false);
    // Same pid, other start time: the pid was recycled, the owner is gone.
    expect(isInstanceDead(`inst-${self}-${process.pid}-${start + 1n}-00000000`)).toBe(true);
    // Unknown pid namespace: cannot judge, so never swept.
    expect(isInstanceDead(`inst-1-${process.pid}-${start + 1n}-00000000`)).toBe(false);
    expect(isInstanceDead('not-an-instance')).toBe(false);
  });
});
