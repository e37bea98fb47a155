// cgroup v1 driver: one directory per controller hierarchy (memory, pids, cpu, cpuacct), as on this host.
import { mkdir, readFile, realpath, rmdir, writeFile } from 'node:fs/promises';
import {
  CGROUP_ROOT,
  CPU_PERIOD_US,
  cpuQuotaUs,
  killPids,
  mkdirJobCgroup,
  parseKeyValues,
  parsePids,
  sleep,
  type CgroupDriver,
  type CgroupLimits,
  type CgroupUsage,
  type JobCgroup,
} from './cgroup.js';

const CONTROLLERS = ['memory', 'pids', 'cpu', 'cpuacct'] as const;
type Controller = (typeof CONTROLLERS)[number];

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

async function rmdirIfExists(path: string): Promise<void> {
  try {
    await rmdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

class CgroupV1Job implements JobCgroup {
  readonly procsFiles: readonly string[];

  constructor(private readonly dirs: Record<Controller, string>) {
    this.procsFiles = [...new Set(Object.values(dirs))].map((dir) => `${dir}/cgroup.procs`);
  }

  private async pids(): Promise<number[]> {
    const all = await Promise.all(
      this.procsFiles.map(async (file) => parsePids((await readOptional(file)) ?? '')),
    );
    return [...new Set(all.flat())];
  }

  async killAll(): Promise<void> {
    // No new forks from here on, so the kill loop converges even against a fork bomb.
    await writeFile(`${this.dirs.pids}/pids.max`, '0').catch(() => undefined);
    await this.waitEmpty(10_000, true);
  }

  async waitEmpty(timeoutMs = 5000, kill = false): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
      const pids = await this.pids();
      if (pids.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(`cgroup not empty after ${timeoutMs} ms: ${pids.length} processes left`);
      if (kill) killPids(pids);
      await sleep(delay);
    }
  }

  async usage(): Promise<CgroupUsage> {
    const [cpu, peak, pidsPeak, oom] = await Promise.all([
      readFile(`${this.dirs.cpuacct}/cpuacct.usage`, 'utf8'),
      readFile(`${this.dirs.memory}/memory.max_usage_in_bytes`, 'utf8'),
      readOptional(`${this.dirs.pids}/pids.peak`),
      readFile(`${this.dirs.memory}/memory.oom_control`, 'utf8'),
    ]);
    return {
      cpuTimeMs: Math.round(Number(cpu.trim()) / 1e6),
      peakMemoryBytes: Number(peak.trim()),
      peakProcesses: pidsPeak === null ? null : Number(pidsPeak.trim()),
      oomKills: parseKeyValues(oom).get('oom_kill') ?? 0,
    };
  }

  async remove(): Promise<void> {
    for (const dir of new Set(Object.values(this.dirs))) await rmdirIfExists(dir);
  }
}

export class CgroupV1Driver implements CgroupDriver {
  readonly version = 1 as const;
  private subtrees: Record<Controller, string> | null = null;

  constructor(
    private readonly subtreeName: string,
    private readonly root = CGROUP_ROOT,
  ) {}

  async init(): Promise<void> {
    const entries = await Promise.all(
      CONTROLLERS.map(
        async (c) => [c, `${await realpath(`${this.root}/${c}`)}/${this.subtreeName}`] as const,
      ),
    );
    const subtrees = Object.fromEntries(entries) as Record<Controller, string>;
    for (const dir of new Set(Object.values(subtrees))) await mkdir(dir, { recursive: true, mode: 0o755 });
    // Without hierarchical accounting, a child's usage would escape the parent's view.
    await writeFile(`${subtrees.memory}/memory.use_hierarchy`, '1').catch(() => undefined);
    this.subtrees = subtrees;
  }

  async create(name: string, limits: CgroupLimits): Promise<JobCgroup> {
    if (!this.subtrees) throw new Error('CgroupV1Driver.init() was not called');
    const subtrees = this.subtrees;
    const dirs = Object.fromEntries(CONTROLLERS.map((c) => [c, `${subtrees[c]}/${name}`])) as Record<
      Controller,
      string
    >;
    const job = new CgroupV1Job(dirs);
    try {
      for (const dir of new Set(Object.values(dirs))) await mkdirJobCgroup(dir, () => this.init());
      const memory = String(limits.memoryBytes);
      await writeFile(`${dirs.memory}/memory.limit_in_bytes`, memory);
      // memsw must be >= the memory limit, so it is written second; absent when swap accounting is off.
      await writeFile(`${dirs.memory}/memory.memsw.limit_in_bytes`, memory).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        },
      );
      await writeFile(`${dirs.memory}/memory.swappiness`, '0').catch(() => undefined);
      await writeFile(`${dirs.pids}/pids.max`, String(limits.maxProcesses));
      await writeFile(`${dirs.cpu}/cpu.cfs_period_us`, String(CPU_PERIOD_US));
      await writeFile(`${dirs.cpu}/cpu.cfs_quota_us`, String(cpuQuotaUs(limits.cpuMillicores)));
      return job;
    } catch (error) {
      await job.remove().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (!this.subtrees) return;
    for (const dir of new Set(Object.values(this.subtrees))) {
      await rmdir(dir).catch(() => undefined); // ENOTEMPTY: another sandbox instance still uses it.
    }
    this.subtrees = null;
  }
}
