// cgroup v1 driver: one directory per controller hierarchy (memory, pids, cpu, cpuacct), as on this host.
import { readFileSync, writeFileSync } from 'node:fs';
import { realpath, rmdir, writeFile } from 'node:fs/promises';
import {
  CGROUP_ROOT,
  CPU_PERIOD_US,
  cpuQuotaUs,
  killPids,
  mkdirJobCgroup,
  mkdirRetrying,
  parseKeyValues,
  parsePids,
  pollDelayMs,
  readOptionalSync,
  rmdirIfExists,
  rmdirIfExistsSync,
  sleep,
  subdirs,
  type CgroupDriver,
  type CgroupLimits,
  type CgroupUsage,
  type SweepResult,
  type JobCgroup,
} from './cgroup.js';

const CONTROLLERS = ['memory', 'pids', 'cpu', 'cpuacct'] as const;
type Controller = (typeof CONTROLLERS)[number];

class CgroupV1Job implements JobCgroup {
  readonly procsFiles: readonly string[];

  constructor(private readonly dirs: Record<Controller, string>) {
    this.procsFiles = [...new Set(Object.values(dirs))].map((dir) => `${dir}/cgroup.procs`);
  }

  private pids(): number[] {
    return [...new Set(this.procsFiles.flatMap((file) => parsePids(readOptionalSync(file) ?? '')))];
  }

  async killAll(): Promise<void> {
    // No new forks from here on, so the kill loop converges even against a fork bomb.
    try {
      writeFileSync(`${this.dirs.pids}/pids.max`, '0');
    } catch {
      // the cgroup is already gone
    }
    await this.waitEmpty(10_000, true);
  }

  async waitEmpty(timeoutMs = 5000, kill = false): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const pids = this.pids();
      if (pids.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(`cgroup not empty after ${timeoutMs} ms: ${pids.length} processes left`);
      if (kill) killPids(pids);
      await sleep(pollDelayMs(attempt));
    }
  }

  async usage(): Promise<CgroupUsage> {
    const cpu = readFileSync(`${this.dirs.cpuacct}/cpuacct.usage`, 'utf8');
    const peak = readFileSync(`${this.dirs.memory}/memory.max_usage_in_bytes`, 'utf8');
    const pidsPeak = readOptionalSync(`${this.dirs.pids}/pids.peak`);
    const oom = readFileSync(`${this.dirs.memory}/memory.oom_control`, 'utf8');
    return {
      cpuTimeMs: Math.round(Number(cpu.trim()) / 1e6),
      peakMemoryBytes: Number(peak.trim()),
      peakProcesses: pidsPeak === null ? null : Number(pidsPeak.trim()),
      oomKills: parseKeyValues(oom).get('oom_kill') ?? 0,
    };
  }

  async remove(): Promise<void> {
    for (const dir of new Set(Object.values(this.dirs))) rmdirIfExistsSync(dir);
  }
}

export class CgroupV1Driver implements CgroupDriver {
  readonly version = 1 as const;
  /** `<controller root>/<subtree name>` per controller. */
  private subtrees: Record<Controller, string> | null = null;

  constructor(
    private readonly subtreeName: string,
    private readonly instanceId: string,
    private readonly root = CGROUP_ROOT,
  ) {}

  private instanceDirs(subtrees: Record<Controller, string>, instance = this.instanceId) {
    return Object.fromEntries(CONTROLLERS.map((c) => [c, `${subtrees[c]}/${instance}`])) as Record<
      Controller,
      string
    >;
  }

  async init(): Promise<void> {
    const entries = await Promise.all(
      CONTROLLERS.map(
        async (c) => [c, `${await realpath(`${this.root}/${c}`)}/${this.subtreeName}`] as const,
      ),
    );
    const subtrees = Object.fromEntries(entries) as Record<Controller, string>;
    const mine = this.instanceDirs(subtrees);
    await Promise.all([...new Set(Object.values(mine))].map((dir) => mkdirRetrying(dir)));
    // Without hierarchical accounting, a child's usage would escape the parent's view.
    await writeFile(`${subtrees.memory}/memory.use_hierarchy`, '1').catch(() => undefined);
    this.subtrees = subtrees;
  }

  async create(name: string, limits: CgroupLimits): Promise<JobCgroup> {
    if (!this.subtrees) throw new Error('CgroupV1Driver.init() was not called');
    const mine = this.instanceDirs(this.subtrees);
    const dirs = Object.fromEntries(CONTROLLERS.map((c) => [c, `${mine[c]}/${name}`])) as Record<
      Controller,
      string
    >;
    const job = new CgroupV1Job(dirs);
    try {
      for (const dir of new Set(Object.values(dirs))) await mkdirJobCgroup(dir, () => this.init());
      const memory = String(limits.memoryBytes);
      writeFileSync(`${dirs.memory}/memory.limit_in_bytes`, memory);
      // memsw must be >= the memory limit, so it is written second; absent when swap accounting is off.
      try {
        writeFileSync(`${dirs.memory}/memory.memsw.limit_in_bytes`, memory);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      try {
        writeFileSync(`${dirs.memory}/memory.swappiness`, '0');
      } catch {
        // not every kernel lets a child cgroup set its own swappiness
      }
      writeFileSync(`${dirs.pids}/pids.max`, String(limits.maxProcesses));
      writeFileSync(`${dirs.cpu}/cpu.cfs_period_us`, String(CPU_PERIOD_US));
      writeFileSync(`${dirs.cpu}/cpu.cfs_quota_us`, String(cpuQuotaUs(limits.cpuMillicores)));
      return job;
    } catch (error) {
      await job.remove().catch(() => undefined);
      throw error;
    }
  }

  async sweep(isDead: (instance: string) => boolean): Promise<SweepResult> {
    if (!this.subtrees) throw new Error('CgroupV1Driver.init() was not called');
    const subtrees = this.subtrees;
    const instances = new Set((await Promise.all(CONTROLLERS.map((c) => subdirs(subtrees[c])))).flat());
    const result: SweepResult = { swept: [], failed: [] };
    for (const instance of instances) {
      if (instance === this.instanceId || !isDead(instance)) continue;
      const levels = this.instanceDirs(subtrees, instance);
      try {
        const jobs = new Set((await Promise.all(CONTROLLERS.map((c) => subdirs(levels[c])))).flat());
        for (const name of jobs) {
          const job = new CgroupV1Job(
            Object.fromEntries(CONTROLLERS.map((c) => [c, `${levels[c]}/${name}`])) as Record<
              Controller,
              string
            >,
          );
          await job.killAll();
          await job.remove();
        }
        for (const dir of new Set(Object.values(levels))) await rmdirIfExists(dir);
        result.swept.push(instance);
      } catch (error) {
        result.failed.push({ instance, error: error as Error });
      }
    }
    return result;
  }

  async close(): Promise<void> {
    if (!this.subtrees) return;
    const subtrees = this.subtrees;
    this.subtrees = null;
    for (const dir of new Set(Object.values(this.instanceDirs(subtrees)))) {
      await rmdir(dir).catch(() => undefined); // ENOTEMPTY: a job of ours is still running.
    }
    for (const dir of new Set(Object.values(subtrees))) {
      await rmdir(dir).catch(() => undefined); // ENOTEMPTY: another sandbox instance still uses it.
    }
  }
}
