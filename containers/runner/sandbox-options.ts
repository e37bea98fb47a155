// The sandbox's tunables; the caller maps configuration to these, the sandbox never reads env vars.

/** Limits and locations shared by every job of one {@link BwrapSandbox}. */
export interface SandboxOptions {
  /**
   * Bytes of stdout and of stderr kept per phase; more is discarded and the job is killed
   * with outcome `output_limit_exceeded`.
   * @defaultValue 65536
   */
  maxStdioBytes: number;
  /**
   * Wall-clock limit of a compile phase (javac); the request's `timeoutMs` covers only the run.
   * @defaultValue 15000
   */
  compileTimeoutMs: number;
  /**
   * Name of the runner's cgroup subtree, created at the root of each controller
   * (`/sys/fs/cgroup/memory/<name>/<instance id>/<job>` on v1, `/sys/fs/cgroup/<name>/<instance id>/<job>`
   * on v2). Sandbox instances may share it; each sweeps the levels of instances whose process died.
   * @defaultValue 'ccee'
   */
  cgroupName: string;
  /**
   * Host directory that holds one 0711 directory per sandbox instance (`<workDir>/<instance id>/`): its
   * seccomp filter and its Java jobs' workspaces (each a size-capped tmpfs). May be shared like `cgroupName`.
   * @defaultValue '/run/ccee'
   */
  workDir: string;
  /**
   * Size of each of the job's writable tmpfs mounts (`/workspace`, `/tmp`, `/dev/shm`), in MiB.
   * @defaultValue 64
   */
  tmpfsMb: number;
  /**
   * Processes plus threads alive at once per phase (cgroup `pids.max`).
   * @defaultValue 64
   */
  maxProcesses: number;
  /**
   * Largest file a program may write (RLIMIT_FSIZE, rounded down to whole 512-byte blocks); bigger
   * writes fail with EFBIG.
   * @defaultValue 16777216
   */
  maxFileBytes: number;
  /**
   * Open file descriptors per process (RLIMIT_NOFILE).
   * @defaultValue 256
   */
  maxOpenFiles: number;
}

export const DEFAULT_SANDBOX_OPTIONS: Readonly<SandboxOptions> = Object.freeze({
  maxStdioBytes: 65_536,
  compileTimeoutMs: 15_000,
  cgroupName: 'ccee',
  workDir: '/run/ccee',
  tmpfsMb: 64,
  maxProcesses: 64,
  maxFileBytes: 16 * 1024 * 1024,
  maxOpenFiles: 256,
});

/** The uid/gid every program runs as on the host ("nobody"). */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;
