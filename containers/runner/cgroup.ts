// The cgroup interface the sandbox uses, so v1 (this host) and v2 (most machines) share one code path.
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { readdir, rmdir } from 'node:fs/promises';
import { makeDirs } from '../../core/make-dirs.js';

/** Limits applied to one phase's cgroup before any of its processes starts. */
export interface CgroupLimits {
  memoryBytes: number;
  maxProcesses: number;
  /** 1000 = one full CPU; enforced as a CFS quota over a 100 ms period. */
  cpuMillicores: number;
}

/** Counters read from the phase's cgroup once it is empty. */
export interface CgroupUsage {
  cpuTimeMs: number;
  peakMemoryBytes: number;
  /** null when the kernel has no `pids.peak`. */
  peakProcesses: number | null;
  /** How many processes the kernel's OOM killer killed in this cgroup. */
  oomKills: number;
}

/** One phase's cgroup(s): created with limits, joined by the wrapper, emptied, read, removed. */
export interface JobCgroup {
  /** `cgroup.procs` files the wrapper writes its own pid to before exec (one per v1 hierarchy). */
  readonly procsFiles: readonly string[];
  /** SIGKILL every process in the cgroup and resolve once it is empty. Safe to call repeatedly. */
  killAll(): Promise<void>;
  /** Resolves once no process is left (bwrap can exit just before its pid namespace is gone). */
  waitEmpty(timeoutMs?: number): Promise<void>;
  usage(): Promise<CgroupUsage>;
  /** rmdir the cgroup directories; the cgroup must be empty. */
  remove(): Promise<void>;
}

/** What a sweep of dead instances' leftovers did (cgroups or workspaces). */
export interface SweepResult {
  swept: string[];
  failed: { instance: string; error: Error }[];
}

/**
 * Creates job cgroups under the runner's own subtree (never touches other cgroups). The layout is
 * `<subtree>/<instance id>/<job>`: every sandbox instance owns one level of its own, so instances
 * sharing a subtree name can tell their own job cgroups from those of a dead instance.
 */
export interface CgroupDriver {
  readonly version: 1 | 2;
  /** Create the subtree and this instance's level and check they are writable; throws with the reason when not. */
  init(): Promise<void>;
  create(name: string, limits: CgroupLimits): Promise<JobCgroup>;
  /**
   * For every other instance level under the subtree for which `isDead(name)` holds: kill every
   * process in its job cgroups, wait until they are empty and remove them and the level.
   * One instance that cannot be emptied does not stop the others; it stays for a later sweep.
   */
  sweep(isDead: (instance: string) => boolean): Promise<SweepResult>;
  /** Remove this instance's level, and the subtree directories if no other instance uses them. */
  close(): Promise<void>;
}

export const CGROUP_ROOT = '/sys/fs/cgroup';
export const CPU_PERIOD_US = 100_000;

/** v2 when the unified hierarchy is mounted at the root with the controllers we need. */
export function detectCgroupVersion(root = CGROUP_ROOT): 1 | 2 | null {
  if (existsSync(`${root}/cgroup.controllers`)) return 2;
  if (['memory', 'pids', 'cpu', 'cpuacct'].every((c) => existsSync(`${root}/${c}`))) return 1;
  return null;
}

/** CFS quota for a millicore budget; the kernel refuses quotas under 1 ms. */
export function cpuQuotaUs(cpuMillicores: number): number {
  return Math.max(1000, Math.round((cpuMillicores * CPU_PERIOD_US) / 1000));
}

/** mkdir `dir` and its parents, retrying when another instance's close() removes a parent meanwhile. */
export async function mkdirRetrying(dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      makeDirs(dir, 0o755);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
}

/** rmdir that treats "already gone" as success. */
export async function rmdirIfExists(path: string): Promise<void> {
  try {
    await rmdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Sub-directories of `dir` (none when it does not exist). */
export async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/*
 * Per-job cgroup operations use synchronous fs calls on purpose: cgroupfs files live in kernel
 * memory, so each call takes microseconds, while an async call costs a libuv threadpool round trip
 * (open, read/write, close: several per file, ~0.1 ms each and more under load). Measured: about
 * 3 ms less per job. Nothing here touches a disk or a path the program can write.
 */

/** Contents of a cgroup file, or null when it does not exist (or the cgroup is gone). */
export function readOptionalSync(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** rmdir a job cgroup; "already gone" is success. */
export function rmdirIfExistsSync(path: string): void {
  try {
    rmdirSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Delay before the next look at a cgroup that is not empty yet: 1, 2, 4 ... 20 ms. (Yielding with
 * 0 ms first was measured slower: the polling competes with the pid namespace's teardown.)
 */
export function pollDelayMs(attempt: number): number {
  return Math.min(2 ** attempt, 20);
}

/** Parse "key value" lines (memory.oom_control, memory.events, cpu.stat). */
export function parseKeyValues(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) result.set(key, Number(value));
  }
  return result;
}

export function parsePids(text: string): number[] {
  return text
    .split('\n')
    .filter((line) => /^\d+$/.test(line.trim()))
    .map(Number);
}

/** SIGKILL the listed pids; a pid that already exited is not an error. */
export function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ESRCH: it exited between the read and the kill.
    }
  }
}

/**
 * mkdir a job cgroup; when this instance's level is gone (removed by hand, or its subtree by another
 * instance's close() racing with our init()), recreate it and try again.
 */
export async function mkdirJobCgroup(dir: string, recreateSubtree: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(dir, { mode: 0o755 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error;
      await recreateSubtree();
    }
  }
}
