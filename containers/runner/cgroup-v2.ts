// cgroup v2 driver (unified hierarchy, e.g. /sys/fs/cgroup/ccee/<job>), written to the kernel's cgroup-v2 docs.
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import {
  CGROUP_ROOT,
  CPU_PERIOD_US,
  cpuQuotaUs,
  mkdirJobCgroup,
  parseKeyValues,
  parsePids,
  sleep,
  type CgroupDriver,
  type CgroupLimits,
  type CgroupUsage,
  type JobCgroup,
} from './cgroup.js';

const CONTROLLERS = ['memory', 'pids', 'cpu'];

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

class CgroupV2Job implements JobCgroup {
  readonly procsFiles: readonly string[];

  constructor(private readonly dir: string) {
    this.procsFiles = [`${dir}/cgroup.procs`];
  }

  async killAll(): Promise<void> {
    // cgroup.kill kills atomically, including processes forked during the kill.
    await writeFile(`${this.dir}/cgroup.kill`, '1');
    await this.waitEmpty(10_000);
  }

  async waitEmpty(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
      // "populated 0" also covers threads and descendants, unlike cgroup.procs of this level.
      const events = parseKeyValues((await readOptional(`${this.dir}/cgroup.events`)) ?? '');
      const left = parsePids((await readOptional(`${this.dir}/cgroup.procs`)) ?? '');
      if ((events.get('populated') ?? 0) === 0 && left.length === 0) return;
      if (Date.now() > deadline) throw new Error(`cgroup not empty after ${timeoutMs} ms`);
      await sleep(delay);
    }
  }

  async usage(): Promise<CgroupUsage> {
    const [cpuStat, peak, current, pidsPeak, events] = await Promise.all([
      readFile(`${this.dir}/cpu.stat`, 'utf8'),
      readOptional(`${this.dir}/memory.peak`),
      readFile(`${this.dir}/memory.current`, 'utf8'),
      readOptional(`${this.dir}/pids.peak`),
      readFile(`${this.dir}/memory.events`, 'utf8'),
    ]);
    return {
      cpuTimeMs: Math.round((parseKeyValues(cpuStat).get('usage_usec') ?? 0) / 1000),
      // memory.peak needs Linux 5.19; before that only the current usage is known.
      peakMemoryBytes: Number((peak ?? current).trim()),
      peakProcesses: pidsPeak === null ? null : Number(pidsPeak.trim()),
      oomKills: parseKeyValues(events).get('oom_kill') ?? 0,
    };
  }

  async remove(): Promise<void> {
    await rmdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

export class CgroupV2Driver implements CgroupDriver {
  readonly version = 2 as const;
  private readonly subtree: string;

  constructor(
    subtreeName: string,
    private readonly root = CGROUP_ROOT,
  ) {
    this.subtree = `${root}/${subtreeName}`;
  }

  async init(): Promise<void> {
    const available = (await readFile(`${this.root}/cgroup.controllers`, 'utf8')).trim().split(/\s+/);
    const missing = CONTROLLERS.filter((c) => !available.includes(c));
    if (missing.length > 0)
      throw new Error(`cgroup v2 controllers not available at ${this.root}: ${missing.join(', ')}`);
    const enable = CONTROLLERS.map((c) => `+${c}`).join(' ');
    await writeFile(`${this.root}/cgroup.subtree_control`, enable);
    await mkdir(this.subtree, { recursive: true, mode: 0o755 });
    // The subtree holds no processes itself, so it may delegate controllers to job cgroups.
    await writeFile(`${this.subtree}/cgroup.subtree_control`, enable);
  }

  async create(name: string, limits: CgroupLimits): Promise<JobCgroup> {
    const dir = `${this.subtree}/${name}`;
    await mkdirJobCgroup(dir, () => this.init());
    const job = new CgroupV2Job(dir);
    try {
      await writeFile(`${dir}/memory.max`, String(limits.memoryBytes));
      await writeFile(`${dir}/memory.swap.max`, '0').catch(() => undefined);
      await writeFile(`${dir}/memory.oom.group`, '1').catch(() => undefined);
      await writeFile(`${dir}/pids.max`, String(limits.maxProcesses));
      await writeFile(`${dir}/cpu.max`, `${cpuQuotaUs(limits.cpuMillicores)} ${CPU_PERIOD_US}`);
      return job;
    } catch (error) {
      await job.remove().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await rmdir(this.subtree).catch(() => undefined);
  }
}
