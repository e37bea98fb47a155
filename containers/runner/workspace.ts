// Per-job workspace for two-phase (compiled) jobs: a size-capped tmpfs on the host with a read-only source dir and a writable dir.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readdir, readFile, realpath, rmdir, unlink, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { SweepResult } from './cgroup.js';
import { isInstanceId } from './instance.js';
import { SANDBOX_GID, SANDBOX_UID } from './sandbox-options.js';

const run = promisify(execFile);

export interface SourceFile {
  /** Plain file name, no slashes (checked). */
  name: string;
  content: string;
}

/** A plain file name the sandbox may use for a source file (no slashes, no leading dot). */
export function checkSourceName(name: string): void {
  if (!/^[A-Za-z0-9_$.-]+$/.test(name) || name.startsWith('.')) throw new Error(`bad source file name`);
}

/**
 * Root-side layout, created before any user code runs:
 * `<workDir>/<instance id>/<random>/` (tmpfs) → `src/` (root, read-only, bound at /code) and
 * `work/` (65534, bound at /workspace). It outlives one phase, so javac's classes reach `java`.
 *
 * After user code has run, root never opens, chowns or deletes anything inside: cleanup is an
 * unmount of the whole tmpfs, so planted symlinks are never followed (Judge0 CVE-2024-28185/28189).
 */
export class JobWorkspace {
  private mounted = false;

  private constructor(readonly root: string) {}

  get sourceDir(): string {
    return `${this.root}/src`;
  }
  get workDir(): string {
    return `${this.root}/work`;
  }

  /** Mount a fresh tmpfs of `sizeBytes` under `parentDir` (the instance's root-owned 0711 dir) and write the sources into it. */
  static async create(
    parentDir: string,
    sizeBytes: number,
    files: readonly SourceFile[],
  ): Promise<JobWorkspace> {
    // mkdir without recursive fails on anything pre-existing, so nothing planted is reused.
    const workspace = new JobWorkspace(`${parentDir}/${randomBytes(12).toString('hex')}`);
    await mkdir(workspace.root, { mode: 0o755 });
    try {
      await run('/usr/bin/mount', [
        '-t',
        'tmpfs',
        '-o',
        `size=${sizeBytes},nosuid,nodev,mode=0755`,
        'tmpfs',
        workspace.root,
      ]);
      workspace.mounted = true;
      await mkdir(workspace.sourceDir, { mode: 0o755 });
      for (const file of files) {
        checkSourceName(file.name);
        await writeFile(`${workspace.sourceDir}/${file.name}`, file.content, { mode: 0o444, flag: 'wx' });
      }
      await chmod(workspace.sourceDir, 0o555);
      await mkdir(workspace.workDir, { mode: 0o700 });
      await chown(workspace.workDir, SANDBOX_UID, SANDBOX_GID);
      return workspace;
    } catch (error) {
      await workspace.destroy().catch(() => undefined);
      throw error;
    }
  }

  /** Unmount (lazily if something still holds it) and remove the mount point; never descends into it. */
  async destroy(): Promise<void> {
    if (this.mounted) {
      try {
        await run('/usr/bin/umount', [this.root]);
      } catch {
        await run('/usr/bin/umount', ['--lazy', this.root]);
      }
      this.mounted = false;
    }
    await rmdir(this.root).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/** Mount points listed in /proc/self/mountinfo (field 5, octal escapes decoded). */
async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((field): field is string => field !== undefined)
    .map((field) =>
      field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))),
    );
}

/**
 * Lazily unmount every mount below `dir`, deepest first, by the path of its mount point: nothing
 * inside a mounted workspace is opened or followed. Repeats while mounts remain (stacked mounts).
 */
async function unmountBelow(dir: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const below = (await mountPoints()).filter((path) => path.startsWith(`${dir}/`));
    if (below.length === 0) return;
    below.sort((a, b) => b.split('/').length - a.split('/').length);
    for (const path of below) await run('/usr/bin/umount', ['--lazy', path]).catch(() => undefined);
  }
  throw new Error(`mounts left below ${dir}`);
}

/**
 * Remove the workspace level `<workDir>/<instance id>` of every instance for which `isDead(name)`
 * holds: unmount its job workspaces, then remove the (now empty) mount points, its seccomp file and
 * the level itself. Only root-owned entries of the level are listed; no workspace is entered.
 */
export async function sweepWorkspaces(
  workDir: string,
  ownInstance: string,
  isDead: (instance: string) => boolean,
): Promise<SweepResult> {
  const base = await realpath(workDir);
  const result: SweepResult = { swept: [], failed: [] };
  for (const entry of await readdir(base, { withFileTypes: true })) {
    if (!entry.isDirectory() || !isInstanceId(entry.name) || entry.name === ownInstance) continue;
    if (!isDead(entry.name)) continue;
    const level = `${base}/${entry.name}`;
    try {
      await unmountBelow(level);
      for (const item of await readdir(level, { withFileTypes: true })) {
        // Mount points are empty directories once unmounted; the only file is the seccomp filter.
        if (item.isDirectory()) await rmdir(`${level}/${item.name}`);
        else await unlink(`${level}/${item.name}`);
      }
      await rmdir(level);
      result.swept.push(entry.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // another instance swept it first
      result.failed.push({ instance: entry.name, error: error as Error });
    }
  }
  return result;
}
