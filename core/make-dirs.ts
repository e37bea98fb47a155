// `mkdir -p` that fails instead of spinning: Node's recursive mkdir loops forever when a parent exists but
// cannot hold children (a path under /proc, a dangling symlink); nodejs/node reports the same for procfs.
import { mkdirSync } from 'node:fs';

/**
 * Create `path` and its missing parents, one level at a time; an existing directory is fine, anything
 * else (ENOENT under /proc, ENOTDIR under a file, EACCES) is thrown with the path it happened at.
 * @example makeDirs('/run/ccee', 0o711)
 */
export function makeDirs(path: string, mode = 0o755): void {
  let current = path.startsWith('/') ? '' : '.';
  for (const part of path.split('/').filter(Boolean)) {
    current += `/${part}`;
    try {
      mkdirSync(current, { mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
