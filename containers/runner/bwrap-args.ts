// Builds the argv that joins the cgroups, sets rlimits, drops to uid 65534 and execs bwrap; no shell interpolation.
import { existsSync } from 'node:fs';
import { SANDBOX_GID, SANDBOX_UID } from './sandbox-options.js';

export const BWRAP = '/usr/bin/bwrap';
export const PRLIMIT = '/usr/bin/prlimit';
export const SETPRIV = '/usr/bin/setpriv';

/** fds the child sees besides stdio (see the spawn stdio array in run-phase.ts). */
export const SECCOMP_FD = 3;
export const STATUS_FD = 4;

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

/**
 * The writer loop is static text; the cgroup files and the command come in as positional
 * parameters, so nothing is ever interpolated into the shell string.
 * $1 = how many cgroup.procs files follow, then the files, then the command.
 */
const JOIN_CGROUPS_SCRIPT =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';

export interface PhaseLimits {
  /** RLIMIT_CPU soft limit in seconds; the hard limit is one second more (SIGXCPU, then SIGKILL). */
  cpuSeconds: number;
  maxFileBytes: number;
  maxOpenFiles: number;
  tmpfsBytes: number;
}

export interface SandboxMounts {
  /** Host dir bound read-only at /code. */
  sourceDir: string;
  /** Host dir bound read-write at /workspace (the cwd). */
  workDir: string;
}

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
  for (const path of ETC_FILES) if (existsSync(path)) args.push('--ro-bind', path, path);
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
    '--ro-bind',
    mounts.sourceDir,
    '/code',
    '--bind',
    mounts.workDir,
    '/workspace',
    '--chdir',
    '/workspace',
    '--remount-ro',
    '/',
    '--clearenv',
  );
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

/** Full argv for `spawn('/bin/sh', ...)`: join cgroups → rlimits → drop to 65534 → bwrap. */
export function wrapperArgv(
  procsFiles: readonly string[],
  limits: PhaseLimits,
  bwrap: readonly string[],
): string[] {
  return [
    '-c',
    JOIN_CGROUPS_SCRIPT,
    'ccee-join-cgroups',
    String(procsFiles.length),
    ...procsFiles,
    PRLIMIT,
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--fsize=${limits.maxFileBytes}`,
    `--nofile=${limits.maxOpenFiles}`,
    '--core=0',
    '--',
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
