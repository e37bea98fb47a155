// Per-job workspace: a size-capped tmpfs on the host with a read-only source dir and a writable dir.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, rmdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { SANDBOX_GID, SANDBOX_UID } from './sandbox-options.js';

const run = promisify(execFile);

export interface SourceFile {
  /** Plain file name, no slashes (checked). */
  name: string;
  content: string;
}

/**
 * Root-side layout, created before any user code runs:
 * `<workDir>/<random>/` (tmpfs) → `src/` (root, read-only, bound at /code) and
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

  /** Mount a fresh tmpfs of `sizeBytes` under `parentDir` and write the sources into it. */
  static async create(
    parentDir: string,
    sizeBytes: number,
    files: readonly SourceFile[],
  ): Promise<JobWorkspace> {
    await mkdir(parentDir, { recursive: true, mode: 0o711 });
    await chmod(parentDir, 0o711);
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
        if (!/^[A-Za-z0-9_$.-]+$/.test(file.name) || file.name.startsWith('.'))
          throw new Error(`bad source file name`);
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
