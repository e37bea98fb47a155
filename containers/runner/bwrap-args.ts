// Builds the argv that joins the cgroups, sets rlimits, drops to uid 65534 and execs bwrap; no shell interpolation.
import { existsSync } from 'node:fs';
import { SANDBOX_GID, SANDBOX_UID } from './sandbox-options.js';

export const BWRAP = '/usr/bin/bwrap';
export const SETPRIV = '/usr/bin/setpriv';

/** fds the child sees besides stdio (see the spawn stdio array in run-phase.ts). */
export const SECCOMP_FD = 3;
export const STATUS_FD = 4;
/** Carries the source of a one-phase job into bwrap (`--ro-bind-data`); absent for host workspaces. */
export const SOURCE_FD = 5;

/** Fixed environment: nothing from the worker's environment ever reaches the program. */
export const SANDBOX_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/workspace',
  LANG: 'C.UTF-8',
});

/** Read-only host paths under /etc the toolchains need; missing ones are skipped. */
const ETC_FILES = [
  '/etc/passwd',
  '/etc/group',
  '/etc/hosts',
  '/etc/ld.so.cache',
  '/etc/alternatives',
  '/etc/java-17-openjdk',
  '/etc/localtime',
];

/** `ulimit -f` counts 512-byte blocks (POSIX; dash, bash in sh mode and busybox agree). */
export const FSIZE_BLOCK_BYTES = 512;

/**
 * The script is static text; the cgroup files, the limits and the command come in as positional
 * parameters, so nothing is ever interpolated into the shell string.
 * $1 = how many cgroup.procs files follow, then the files, then CPU hard and soft seconds, file
 * size in 512-byte blocks, open files; then the command. The rlimits are the shell's own builtins
 * (one exec less than prlimit): CPU hard first (both limits), then the soft one below it; FSIZE,
 * NOFILE and CORE set soft = hard. Any failure exits 125 before the command runs.
 */
const WRAPPER_SCRIPT =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; ' +
  'ulimit -t "$1" && ulimit -S -t "$2" && ulimit -f "$3" && ulimit -n "$4" && ulimit -c 0 || exit 125; ' +
  'shift 4; exec "$@"';

export interface PhaseLimits {
  /** RLIMIT_CPU soft limit in seconds; the hard limit is one second more (SIGXCPU, then SIGKILL). */
  cpuSeconds: number;
  /** RLIMIT_FSIZE; rounded down to whole 512-byte blocks. */
  maxFileBytes: number;
  maxOpenFiles: number;
  tmpfsBytes: number;
}

/**
 * Where /code and /workspace come from.
 * - `host`: a runner-mounted host tmpfs that outlives one phase (Java: javac's classes reach java).
 * - `private`: nothing on the host; the source arrives through {@link SOURCE_FD} as a read-only
 *   file inside bwrap's own tmpfs, and /workspace is a size-capped bwrap tmpfs that dies with the
 *   phase (one-phase languages, see docs/adr/0003).
 */
export type SandboxMounts =
  | {
      kind: 'host';
      /** Host dir bound read-only at /code. */
      sourceDir: string;
      /** Host dir bound read-write at /workspace (the cwd). */
      workDir: string;
    }
  | {
      kind: 'private';
      /** File name under /code (checked by the caller: no slashes). */
      sourceName: string;
    };

/** ETC_FILES that exist on this host, looked up once (they belong to installed packages). */
let etcFiles: string[] | undefined;

export function bwrapArgs(mounts: SandboxMounts, limits: PhaseLimits, command: readonly string[]): string[] {
  const size = String(limits.tmpfsBytes);
  const args = [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--hostname',
    'sandbox',
    '--ro-bind',
    '/usr',
    '/usr',
    '--symlink',
    'usr/bin',
    '/bin',
    '--symlink',
    'usr/lib',
    '/lib',
    '--symlink',
    'usr/lib64',
    '/lib64',
    '--symlink',
    'usr/sbin',
    '/sbin',
  ];
  for (const path of (etcFiles ??= ETC_FILES.filter((p) => existsSync(p))))
    args.push('--ro-bind', path, path);
  args.push(
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    size,
    '--tmpfs',
    '/tmp',
    '--size',
    size,
    '--tmpfs',
    '/dev/shm',
  );
  if (mounts.kind === 'host') {
    args.push('--ro-bind', mounts.sourceDir, '/code', '--bind', mounts.workDir, '/workspace');
  } else {
    args.push(
      '--perms',
      '0444',
      '--ro-bind-data',
      String(SOURCE_FD),
      `/code/${mounts.sourceName}`,
      '--perms',
      '0700',
      '--size',
      size,
      '--tmpfs',
      '/workspace',
    );
  }
  args.push('--chdir', '/workspace', '--remount-ro', '/', '--clearenv');
  for (const [key, value] of Object.entries(SANDBOX_ENV)) args.push('--setenv', key, value);
  args.push(
    '--cap-drop',
    'ALL',
    '--seccomp',
    String(SECCOMP_FD),
    '--json-status-fd',
    String(STATUS_FD),
    '--',
    ...command,
  );
  return args;
}

/** Full argv for `spawn('/bin/sh', ...)`: join cgroups and set rlimits (one shell) → drop to 65534 → bwrap. */
export function wrapperArgv(
  procsFiles: readonly string[],
  limits: PhaseLimits,
  bwrap: readonly string[],
): string[] {
  const count = (n: number) => String(Math.max(0, Math.floor(n)));
  return [
    '-c',
    WRAPPER_SCRIPT,
    'ccee-wrapper',
    String(procsFiles.length),
    ...procsFiles,
    count(limits.cpuSeconds + 1),
    count(limits.cpuSeconds),
    count(limits.maxFileBytes / FSIZE_BLOCK_BYTES),
    count(limits.maxOpenFiles),
    SETPRIV,
    `--reuid=${SANDBOX_UID}`,
    `--regid=${SANDBOX_GID}`,
    '--clear-groups',
    '--no-new-privs',
    '--',
    BWRAP,
    ...bwrap,
  ];
}
