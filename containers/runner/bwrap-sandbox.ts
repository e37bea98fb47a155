// The local sandbox: runs one program per job under bubblewrap, runner-owned cgroups, rlimits and seccomp.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, rmdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Language } from '../../core/languages.js';
import type { Logger } from '../../core/logger.js';
import type { ExecutionRequest, ExecutionResult, PhaseResult } from '../../core/model/execution-result.js';
import type { Outcome } from '../../core/model/outcome.js';
import type { PhaseLimits, SandboxMounts } from './bwrap-args.js';
import { detectCgroupVersion, type CgroupDriver, type CgroupLimits } from './cgroup.js';
import { CgroupV1Driver } from './cgroup-v1.js';
import { CgroupV2Driver } from './cgroup-v2.js';
import { isInstanceDead, newInstanceId } from './instance.js';
import { makeDirs } from '../../core/make-dirs.js';
import { closeInheritedFds } from './inherited-fds.js';
import { languagePlan } from './language-commands.js';
import { checkSandboxPrerequisites, SandboxUnavailableError, SECCOMP_PYTHON } from './prerequisites.js';
import { runPhase, type PhaseRun } from './run-phase.js';
import { DEFAULT_SANDBOX_OPTIONS, type SandboxOptions } from './sandbox-options.js';
import { checkSourceName, JobWorkspace, sweepWorkspaces } from './workspace.js';

export { checkSandboxPrerequisites, SandboxUnavailableError } from './prerequisites.js';
export { DEFAULT_SANDBOX_OPTIONS, type SandboxOptions } from './sandbox-options.js';

const MIB = 1024 * 1024;
/** javac is a JVM: it gets at least this much memory and one full CPU whatever the run phase asks for. */
const COMPILE_MIN_MEMORY_BYTES = 512 * MIB;
const COMPILE_MIN_MILLICORES = 1000;
const SECCOMP_GENERATOR = fileURLToPath(new URL('./seccomp-filter.py', import.meta.url));

const EMPTY_PHASE: PhaseResult = {
  exitCode: null,
  signal: null,
  stdout: '',
  stderr: '',
  stdoutTruncated: false,
  stderrTruncated: false,
  wallTimeMs: 0,
  cpuTimeMs: 0,
  peakMemoryBytes: 0,
  peakProcesses: null,
};

function toPhaseResult(run: PhaseRun): PhaseResult {
  return {
    exitCode: run.exitCode,
    signal: run.signal,
    stdout: run.stdout,
    stderr: run.stderr,
    stdoutTruncated: run.stdoutTruncated,
    stderrTruncated: run.stderrTruncated,
    wallTimeMs: run.wallTimeMs,
    cpuTimeMs: run.cpuTimeMs,
    peakMemoryBytes: run.peakMemoryBytes,
    peakProcesses: run.peakProcesses,
  };
}

/**
 * V8 and the JVM stop at their own heap limit (set below the cgroup's) before the kernel's OOM
 * killer acts, so their message counts as a memory verdict. Only the program's own verdict changes
 * if it prints the text itself.
 */
function runtimeHeapExhausted(language: Language, run: PhaseRun): boolean {
  if (language === 'javascript')
    return run.exitCode === null && run.stderr.includes('JavaScript heap out of memory');
  if (language === 'java')
    return (
      run.exitCode !== 0 && /java\.lang\.OutOfMemoryError: (Java heap space|GC overhead)/.test(run.stderr)
    );
  return false;
}

/** Most specific verdict first: a limit the runner enforced explains any non-zero exit that follows it. */
export function decideOutcome(run: PhaseRun, cpuSeconds: number, heapExhausted = false): Outcome {
  if (run.outputOverflow) return 'output_limit_exceeded';
  if (run.oomKills > 0 || heapExhausted) return 'memory_limit_exceeded';
  if (run.timedOut) return 'time_limit_exceeded';
  if (run.signal === 'SIGXCPU' || (run.signal === 'SIGKILL' && run.cpuTimeMs >= cpuSeconds * 1000))
    return 'cpu_time_limit_exceeded';
  if (run.signal !== null || run.exitCode !== 0) return 'runtime_error';
  return 'success';
}

export class BwrapSandbox {
  private constructor(
    private readonly options: SandboxOptions,
    private readonly cgroups: CgroupDriver,
    /** `<workDir>/<instance id>`: this instance's seccomp filter and Java workspaces. */
    private readonly instanceDir: string,
    private readonly seccompFile: string,
    /** Names this instance's level under the cgroup subtree and the work dir (see instance.ts). */
    readonly instanceId: string,
    private readonly logger?: Logger,
  ) {}

  /**
   * Checks the host, prepares this instance's cgroup level and work dir, compiles the seccomp filter,
   * and sweeps what dead instances sharing `cgroupName`/`workDir` left behind (a worker killed
   * mid-job); throws {@link SandboxUnavailableError}.
   */
  static async create(options: Partial<SandboxOptions> = {}, logger?: Logger): Promise<BwrapSandbox> {
    const opts: SandboxOptions = { ...DEFAULT_SANDBOX_OPTIONS, ...options };
    const problems = checkSandboxPrerequisites();
    if (problems.length > 0) throw new SandboxUnavailableError(problems);

    const inherited = closeInheritedFds();
    if (inherited.length > 0)
      logger?.warn({ fds: inherited }, 'closed inherited file descriptors before running jobs');

    const instanceId = newInstanceId();
    const version = detectCgroupVersion();
    const cgroups =
      version === 2
        ? new CgroupV2Driver(opts.cgroupName, instanceId)
        : new CgroupV1Driver(opts.cgroupName, instanceId);
    try {
      await cgroups.init();
    } catch (error) {
      throw new SandboxUnavailableError([
        `cannot create the cgroup subtree "${opts.cgroupName}" (cgroup v${version}): ${(error as Error).message}; run as root on a host with writable /sys/fs/cgroup`,
      ]);
    }

    const instanceDir = `${opts.workDir}/${instanceId}`;
    const seccompFile = `${instanceDir}/seccomp.bpf`;
    try {
      makeDirs(opts.workDir, 0o711);
      await chmod(opts.workDir, 0o711);
      // Not recursive: fails on anything pre-existing, so nothing planted is reused.
      await mkdir(instanceDir, { mode: 0o711 });
      await chmod(instanceDir, 0o711);
    } catch (error) {
      await cgroups.close();
      throw new SandboxUnavailableError([
        `cannot create the work dir ${instanceDir}: ${(error as Error).message}; run as root with a writable SANDBOX_WORK_DIR`,
      ]);
    }
    try {
      await promisify(execFile)(SECCOMP_PYTHON, [SECCOMP_GENERATOR, seccompFile]);
      await chmod(seccompFile, 0o600);
    } catch (error) {
      await rm(seccompFile, { force: true });
      await rmdir(instanceDir).catch(() => undefined);
      await cgroups.close();
      throw new SandboxUnavailableError([
        `the seccomp filter does not compile: ${(error as Error).message.trim()}; fix: apt-get install -y python3-seccomp`,
      ]);
    }
    await BwrapSandbox.sweep(cgroups, opts.workDir, instanceId, logger);
    logger?.info({ cgroupVersion: version, workDir: opts.workDir, instanceId }, 'sandbox ready');
    return new BwrapSandbox(opts, cgroups, instanceDir, seccompFile, instanceId, logger);
  }

  /**
   * Leftovers of dead instances: processes are killed and job cgroups removed first, then the
   * workspaces are unmounted. A failure is logged, never fatal: the level stays for the next sweep.
   */
  private static async sweep(
    cgroups: CgroupDriver,
    workDir: string,
    instanceId: string,
    logger?: Logger,
  ): Promise<void> {
    for (const [what, sweep] of [
      ['cgroups', () => cgroups.sweep(isInstanceDead)],
      ['workspaces', () => sweepWorkspaces(workDir, instanceId, isInstanceDead)],
    ] as const) {
      try {
        const { swept, failed } = await sweep();
        if (swept.length > 0) logger?.warn({ swept }, `removed ${what} left by dead sandbox instances`);
        for (const { instance, error } of failed)
          logger?.error(
            { instance, err: error.message },
            `cannot remove ${what} left by a dead sandbox instance`,
          );
      } catch (error) {
        logger?.error({ err: (error as Error).message }, `sweeping ${what} of dead sandbox instances failed`);
      }
    }
  }

  /** Runs the program; never throws for anything the program does, only when the platform fails. */
  /** `logger` is the job's own (it carries jobId and tenantId); the sandbox's is the fallback. */
  async run(request: ExecutionRequest, logger: Logger | undefined = this.logger): Promise<ExecutionResult> {
    const memoryBytes = request.memoryMb * MIB;
    const compileLimits = {
      memoryBytes: Math.max(memoryBytes, COMPILE_MIN_MEMORY_BYTES),
      cpuMillicores: Math.max(request.cpuMillicores, COMPILE_MIN_MILLICORES),
    };
    const runLimits = { memoryBytes, cpuMillicores: request.cpuMillicores };
    const plan = languagePlan(request.language, request.sourceCode, compileLimits, runLimits);
    const prefix = `job-${request.jobId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40)}-${randomBytes(6).toString('hex')}`;

    // One-phase languages need nothing on the host (ADR 0003); Java's two phases share a host tmpfs (ADR 0002).
    let workspace: JobWorkspace | undefined;
    let mounts: SandboxMounts;
    if (plan.compile) {
      workspace = await JobWorkspace.create(this.instanceDir, this.options.tmpfsMb * MIB, [plan.source]);
      mounts = { kind: 'host', sourceDir: workspace.sourceDir, workDir: workspace.workDir };
    } else {
      checkSourceName(plan.source.name);
      mounts = { kind: 'private', sourceName: plan.source.name };
    }
    const sourceData = workspace ? undefined : plan.source.content;
    try {
      let compile: PhaseRun | undefined;
      if (plan.compile) {
        const cpuSeconds = Math.ceil(this.options.compileTimeoutMs / 1000);
        compile = await this.phase(
          `${prefix}-compile`,
          compileLimits,
          cpuSeconds,
          mounts,
          plan.compile,
          '',
          this.options.compileTimeoutMs,
        );
        const outcome = decideOutcome(compile, cpuSeconds);
        if (outcome !== 'success') {
          return {
            ...EMPTY_PHASE,
            outcome: outcome === 'runtime_error' ? 'compile_error' : outcome,
            compile: toPhaseResult(compile),
          };
        }
      }
      const cpuSeconds = Math.ceil(request.timeoutMs / 1000);
      const run = await this.phase(
        `${prefix}-run`,
        runLimits,
        cpuSeconds,
        mounts,
        plan.run,
        request.stdin,
        request.timeoutMs,
        sourceData,
      );
      const heapExhausted = runtimeHeapExhausted(request.language, run);
      const outcome = decideOutcome(run, cpuSeconds, heapExhausted);
      logger?.debug(
        { jobId: request.jobId, outcome, wallTimeMs: run.wallTimeMs, cpuTimeMs: run.cpuTimeMs },
        'sandbox run finished',
      );
      return { ...toPhaseResult(run), outcome, ...(compile ? { compile: toPhaseResult(compile) } : {}) };
    } finally {
      await workspace?.destroy();
    }
  }

  private async phase(
    name: string,
    limits: { memoryBytes: number; cpuMillicores: number },
    cpuSeconds: number,
    mounts: SandboxMounts,
    command: readonly string[],
    stdin: string,
    wallTimeoutMs: number,
    sourceData?: string,
  ): Promise<PhaseRun> {
    const cgroupLimits: CgroupLimits = { ...limits, maxProcesses: this.options.maxProcesses };
    const phaseLimits: PhaseLimits = {
      cpuSeconds,
      maxFileBytes: this.options.maxFileBytes,
      maxOpenFiles: this.options.maxOpenFiles,
      tmpfsBytes: this.options.tmpfsMb * MIB,
    };
    const cgroup = await this.cgroups.create(name, cgroupLimits);
    let emptied = false;
    try {
      const run = await runPhase({
        cgroup,
        mounts,
        limits: phaseLimits,
        command,
        stdin,
        ...(sourceData === undefined ? {} : { sourceData }),
        wallTimeoutMs,
        maxStdioBytes: this.options.maxStdioBytes,
        seccompFile: this.seccompFile,
      });
      // runPhase returns only after killAll() emptied the cgroup, and with nobody left inside to fork
      // (v1: pids.max is 0) and only root able to move a process in, it stays empty.
      emptied = true;
      return run;
    } finally {
      if (!emptied) await cgroup.killAll();
      await cgroup.remove();
    }
  }

  /** Removes this instance's work dir level and cgroup level, and the shared subtree if no other instance uses it. */
  async close(): Promise<void> {
    await rm(this.seccompFile, { force: true });
    await rmdir(this.instanceDir).catch(() => undefined); // ENOTEMPTY: a Java job is still running.
    await this.cgroups.close();
  }
}
