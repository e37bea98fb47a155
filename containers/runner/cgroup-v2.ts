// cgroup v2 driver (unified hierarchy, e.g. /sys/fs/cgroup/ccee/<job>), written to the kernel's cgroup-v2 docs.
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile, rmdir, writeFile } from 'node:fs/promises';
import {
  CGROUP_ROOT,
  CPU_PERIOD_US,
  cpuQuotaUs,
  mkdirJobCgroup,
  mkdirRetrying,
  parseKeyValues,
  parsePids,
  pollDelayMs,
  readOptionalSync,
  rmdirIfExistsSync,
  rmdirIfExists,
  sleep,
  subdirs,
  type CgroupDriver,
  type CgroupLimits,
  type CgroupUsage,
  type SweepResult,
  type JobCgroup,
} from './cgroup.js';

const CONTROLLERS = ['memory', 'pids', 'cpu'];

class CgroupV2Job implements JobCgroup {
  readonly procsFiles: readonly string[];

  constructor(private readonly dir: string) {
    this.procsFiles = [`${dir}/cgroup.procs`];
  }

  async killAll(): Promise<void> {
    // cgroup.kill kills atomically, including processes forked during the kill.
    writeFileSync(`${this.dir}/cgroup.kill`, '1');
    await this.waitEmpty(10_000);
  }

  async waitEmpty(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      // "populated 0" also covers threads and descendants, unlike cgroup.procs of this level.
      const events = parseKeyValues(readOptionalSync(`${this.dir}/cgroup.events`) ?? '');
      const left = parsePids(readOptionalSync(`${this.dir}/cgroup.procs`) ?? '');
      if ((events.get('populated') ?? 0) === 0 && left.length === 0) return;
      if (Date.now() > deadline) throw new Error(`cgroup not empty after ${timeoutMs} ms`);
      await sleep(pollDelayMs(attempt));
    }
  }

  async usage(): Promise<CgroupUsage> {
    const cpuStat = readFileSync(`${this.dir}/cpu.stat`, 'utf8');
    const peak = readOptionalSync(`${this.dir}/memory.peak`);
    const current = readFileSync(`${this.dir}/memory.current`, 'utf8');
    const pidsPeak = readOptionalSync(`${this.dir}/pids.peak`);
    const events = readFileSync(`${this.dir}/memory.events`, 'utf8');
    return {
      cpuTimeMs: Math.round((parseKeyValues(cpuStat).get('usage_usec') ?? 0) / 1000),
      // memory.peak needs Linux 5.19; before that only the current usage is known.
      peakMemoryBytes: Number((peak ?? current).trim()),
      peakProcesses: pidsPeak === null ? null : Number(pidsPeak.trim()),
      oomKills: parseKeyValues(events).get('oom_kill') ?? 0,
    };
  }

  async remove(): Promise<void> {
    rmdirIfExistsSync(this.dir);
  }
}

export class CgroupV2Driver implements CgroupDriver {
  readonly version = 2 as const;
  private readonly subtree: string;
  private readonly mine: string;

  constructor(
    subtreeName: string,
    private readonly instanceId: string,
    private readonly root = CGROUP_ROOT,
  ) {
    this.subtree = `${root}/${subtreeName}`;
    this.mine = `${this.subtree}/${instanceId}`;
  }

  async init(): Promise<void> {
    const available = (await readFile(`${this.root}/cgroup.controllers`, 'utf8')).trim().split(/\s+/);
    const missing = CONTROLLERS.filter((c) => !available.includes(c));
    if (missing.length > 0)
      throw new Error(`cgroup v2 controllers not available at ${this.root}: ${missing.join(', ')}`);
    const enable = CONTROLLERS.map((c) => `+${c}`).join(' ');
    await writeFile(`${this.root}/cgroup.subtree_control`, enable);
    await mkdirRetrying(this.mine);
    // Neither level holds processes itself, so both may delegate controllers to the job cgroups.
    await writeFile(`${this.subtree}/cgroup.subtree_control`, enable);
    await writeFile(`${this.mine}/cgroup.subtree_control`, enable);
  }

  async create(name: string, limits: CgroupLimits): Promise<JobCgroup> {
    const dir = `${this.mine}/${name}`;
    await mkdirJobCgroup(dir, () => this.init());
    const job = new CgroupV2Job(dir);
    try {
      writeFileSync(`${dir}/memory.max`, String(limits.memoryBytes));
      for (const [file, value] of [
        ['memory.swap.max', '0'], // absent without swap accounting
        ['memory.oom.group', '1'], // absent before Linux 4.19
      ] as const) {
        try {
          writeFileSync(`${dir}/${file}`, value);
        } catch {
          // optional
        }
      }
      writeFileSync(`${dir}/pids.max`, String(limits.maxProcesses));
      writeFileSync(`${dir}/cpu.max`, `${cpuQuotaUs(limits.cpuMillicores)} ${CPU_PERIOD_US}`);
      return job;
    } catch (error) {
      await job.remove().catch(() => undefined);
      throw error;
    }
  }

  async sweep(isDead: (instance: string) => boolean): Promise<SweepResult> {
    const result: SweepResult = { swept: [], failed: [] };
    for (const instance of await subdirs(this.subtree)) {
      if (instance === this.instanceId || !isDead(instance)) continue;
      const level = `${this.subtree}/${instance}`;
      try {
        for (const name of await subdirs(level)) {
          const job = new CgroupV2Job(`${level}/${name}`);
          await job.killAll();
          await job.remove();
        }
        await rmdirIfExists(level);
        result.swept.push(instance);
      } catch (error) {
        result.failed.push({ instance, error: error as Error });
      }
    }
    return result;
  }

  async close(): Promise<void> {
    await rmdir(this.mine).catch(() => undefined); // ENOTEMPTY: a job of ours is still running.
    await rmdir(this.subtree).catch(() => undefined); // ENOTEMPTY: another sandbox instance still uses it.
  }
}
