// The cgroup v2 driver against a directory laid out like /sys/fs/cgroup (this host is cgroup v1, so the kernel
// side cannot run here): checks the file names and formats it writes and reads, per the kernel's cgroup-v2 docs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { CgroupV2Driver } from '../../containers/runner/cgroup-v2.js';
import { detectCgroupVersion } from '../../containers/runner/cgroup.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(`${tmpdir()}/fake-cgroup2-`);
  writeFileSync(`${root}/cgroup.controllers`, 'cpuset cpu io memory hugetlb pids rdma misc\n');
  writeFileSync(`${root}/cgroup.subtree_control`, '');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const read = (path: string) => readFileSync(`${root}/${path}`, 'utf8');

test('a unified hierarchy at the root is detected as v2', () => {
  expect(detectCgroupVersion(root)).toBe(2);
});

test('init enables memory, pids and cpu for the subtree and the instance level', async () => {
  const driver = new CgroupV2Driver('ccee', 'inst-1', root);
  await driver.init();
  expect(read('cgroup.subtree_control')).toBe('+memory +pids +cpu');
  expect(read('ccee/cgroup.subtree_control')).toBe('+memory +pids +cpu');
  expect(read('ccee/inst-1/cgroup.subtree_control')).toBe('+memory +pids +cpu');
});

test('missing controllers are named', async () => {
  writeFileSync(`${root}/cgroup.controllers`, 'cpu io\n');
  await expect(new CgroupV2Driver('ccee', 'inst-1', root).init()).rejects.toThrow(/memory, pids/);
});

test('limits are written as memory.max, memory.swap.max, pids.max and cpu.max', async () => {
  const driver = new CgroupV2Driver('ccee', 'inst-1', root);
  await driver.init();
  const job = await driver.create('job-a', {
    memoryBytes: 256 * 1024 * 1024,
    maxProcesses: 64,
    cpuMillicores: 250,
  });
  expect(read('ccee/inst-1/job-a/memory.max')).toBe(String(256 * 1024 * 1024));
  expect(read('ccee/inst-1/job-a/memory.swap.max')).toBe('0');
  expect(read('ccee/inst-1/job-a/pids.max')).toBe('64');
  expect(read('ccee/inst-1/job-a/cpu.max')).toBe('25000 100000');
  expect(job.procsFiles).toEqual([`${root}/ccee/inst-1/job-a/cgroup.procs`]);
});

test('usage comes from cpu.stat, memory.peak, pids.peak and memory.events', async () => {
  const driver = new CgroupV2Driver('ccee', 'inst-1', root);
  await driver.init();
  const job = await driver.create('job-b', { memoryBytes: 1 << 20, maxProcesses: 8, cpuMillicores: 1000 });
  const dir = `${root}/ccee/inst-1/job-b`;
  writeFileSync(`${dir}/cpu.stat`, 'usage_usec 1234567\nuser_usec 1000000\nsystem_usec 234567\n');
  writeFileSync(`${dir}/memory.peak`, '9437184\n');
  writeFileSync(`${dir}/memory.current`, '4096\n');
  writeFileSync(`${dir}/pids.peak`, '7\n');
  writeFileSync(`${dir}/memory.events`, 'low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n');
  expect(await job.usage()).toEqual({
    cpuTimeMs: 1235,
    peakMemoryBytes: 9437184,
    peakProcesses: 7,
    oomKills: 1,
  });
});

test('killAll writes cgroup.kill and returns once cgroup.events says unpopulated', async () => {
  const driver = new CgroupV2Driver('ccee', 'inst-1', root);
  await driver.init();
  const job = await driver.create('job-c', { memoryBytes: 1 << 20, maxProcesses: 8, cpuMillicores: 1000 });
  const dir = `${root}/ccee/inst-1/job-c`;
  writeFileSync(`${dir}/cgroup.events`, 'populated 1\nfrozen 0\n');
  writeFileSync(`${dir}/cgroup.procs`, '');
  const killed = job.killAll();
  await new Promise((r) => setTimeout(r, 30));
  writeFileSync(`${dir}/cgroup.events`, 'populated 0\nfrozen 0\n');
  await killed;
  expect(readFileSync(`${dir}/cgroup.kill`, 'utf8')).toBe('1');
});
