// Checks the host can run the sandbox, and says what is missing with the exact fix.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { BWRAP, SETPRIV } from './bwrap-args.js';
import { CGROUP_ROOT, detectCgroupVersion } from './cgroup.js';
import { TOOLCHAINS } from './language-commands.js';

/** The host cannot run untrusted code safely; the message lists every problem and its fix. */
export class SandboxUnavailableError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The code sandbox cannot start on this machine:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SandboxUnavailableError';
  }
}

export const SECCOMP_PYTHON = '/usr/bin/python3';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readTrimmed(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Every reason the sandbox would not work here, each with its fix; empty when all is well. */
export function checkSandboxPrerequisites(cgroupRoot = CGROUP_ROOT): string[] {
  const problems: string[] = [];
  if (process.platform !== 'linux')
    return [`the sandbox needs Linux (this is ${process.platform}); use EXECUTION_BACKEND=ecs or a Linux VM`];
  if (process.getuid?.() !== 0)
    problems.push(
      'the worker must run as root to create cgroups and mounts (it drops to uid 65534 for every program): run it with sudo',
    );

  if (!isExecutable(BWRAP)) {
    problems.push(`bubblewrap is missing (${BWRAP}): apt-get install -y bubblewrap`);
  } else {
    const help = (() => {
      try {
        return execFileSync(BWRAP, ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch {
        return '';
      }
    })();
    for (const flag of ['--disable-userns', '--size', '--json-status-fd', '--seccomp']) {
      if (!help.includes(flag))
        problems.push(
          `bubblewrap lacks ${flag} (need >= 0.8): apt-get install -y -t bookworm bubblewrap, or build 0.8+ from source`,
        );
    }
  }
  for (const tool of [SETPRIV, '/usr/bin/mount', '/usr/bin/umount']) {
    if (!isExecutable(tool)) problems.push(`${tool} is missing: apt-get install -y util-linux mount`);
  }

  const userns = readTrimmed('/proc/sys/kernel/unprivileged_userns_clone');
  if (userns === '0')
    problems.push(
      'unprivileged user namespaces are off (bwrap needs them): sysctl -w kernel.unprivileged_userns_clone=1',
    );
  if (readTrimmed('/proc/sys/user/max_user_namespaces') === '0')
    problems.push('user namespaces are disabled: sysctl -w user.max_user_namespaces=15000');

  const version = detectCgroupVersion(cgroupRoot);
  if (version === null) {
    problems.push(
      `no usable cgroups at ${cgroupRoot} (need v2, or v1 with memory, pids, cpu and cpuacct mounted): boot with systemd.unified_cgroup_hierarchy=1, or mount the v1 controllers`,
    );
  } else if (version === 2) {
    const controllers = readTrimmed(`${cgroupRoot}/cgroup.controllers`)?.split(/\s+/) ?? [];
    for (const c of ['memory', 'pids', 'cpu']) {
      if (!controllers.includes(c))
        problems.push(
          `cgroup v2 controller "${c}" is not enabled at ${cgroupRoot}: add it to the parent's cgroup.subtree_control (or boot with cgroup_enable=${c})`,
        );
    }
  } else if (!existsSync(`${cgroupRoot}/memory/memory.oom_control`)) {
    problems.push(
      `cgroup v1 memory controller at ${cgroupRoot}/memory lacks memory.oom_control: use a kernel with CONFIG_MEMCG`,
    );
  }

  if (!isExecutable(SECCOMP_PYTHON)) {
    problems.push(
      `${SECCOMP_PYTHON} is missing (compiles the seccomp filter): apt-get install -y python3 python3-seccomp`,
    );
  } else {
    try {
      execFileSync(SECCOMP_PYTHON, ['-c', 'import seccomp'], { stdio: 'ignore' });
    } catch {
      problems.push('libseccomp Python bindings are missing: apt-get install -y python3-seccomp');
    }
  }

  for (const [language, paths] of Object.entries(TOOLCHAINS)) {
    for (const path of paths) {
      if (!isExecutable(path)) {
        const fix =
          language === 'java'
            ? 'apt-get install -y openjdk-17-jdk-headless'
            : language === 'python'
              ? 'apt-get install -y python3'
              : 'apt-get install -y nodejs';
        problems.push(`${language} toolchain ${path} is missing: ${fix}`);
      }
    }
  }
  return problems;
}
