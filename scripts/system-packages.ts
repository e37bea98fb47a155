// The Debian packages the local stack needs, and their installation on first run, so `npm run dev` and
// `npm test` work on a fresh Debian/Ubuntu machine with nothing done by hand.
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';
import { commandExists } from '../core/command-exists.js';

interface SystemPackage {
  name: string;
  present(): Promise<boolean>;
}

const executable = (path: string) => async () => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const REDIS: SystemPackage = { name: 'redis-server', present: () => commandExists('redis-server') };

/** What the sandbox runs and is built from (see containers/runner/prerequisites.ts for the full checks). */
const SANDBOX: SystemPackage[] = [
  { name: 'bubblewrap', present: executable('/usr/bin/bwrap') },
  { name: 'util-linux', present: executable('/usr/bin/setpriv') },
  {
    name: 'python3-seccomp',
    present: async () => {
      try {
        execFileSync('/usr/bin/python3', ['-c', 'import seccomp'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    },
  },
  { name: 'openjdk-17-jdk-headless', present: executable('/usr/bin/javac') },
];

/** Packages not installed yet; Redis only when the caller will start its own. */
export async function missingSystemPackages(options: { redis: boolean }): Promise<string[]> {
  const wanted = options.redis ? [REDIS, ...SANDBOX] : SANDBOX;
  const present = await Promise.all(wanted.map((p) => p.present()));
  return wanted.filter((_, i) => !present[i]).map((p) => p.name);
}

/** Root on a machine with apt-get: the only case where installing for the user is possible. */
export async function canInstallSystemPackages(): Promise<boolean> {
  return process.getuid?.() === 0 && (await commandExists('apt-get'));
}

/**
 * `apt-get update` then `apt-get install -y` the packages, reporting each step on `say`.
 * @example await installSystemPackages(['redis-server'], console.log)
 */
export async function installSystemPackages(packages: string[], say: (line: string) => void): Promise<void> {
  const run = promisify(execFile);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  say(`Installing ${packages.join(', ')} with apt-get (first run only; about a minute)...`);
  say('  apt-get update');
  await run('apt-get', ['update', '-qq'], { env, maxBuffer: 16 * 1024 * 1024 });
  say(`  apt-get install -y ${packages.join(' ')}`);
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  say('  done');
}
