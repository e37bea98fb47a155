// Closes file descriptors the worker inherited without close-on-exec, which would otherwise reach every sandboxed program.
import { closeSync, readdirSync, readFileSync } from 'node:fs';

const O_CLOEXEC = 0o2000000;

/**
 * Node opens everything close-on-exec, but a process can inherit open fds from whatever started it (a shell,
 * a supervisor, a CI runner). bubblewrap passes every open fd through to the program, and the wrapper's
 * shell (dash) cannot close fds above 9, so such fds are closed here, once, before any job runs.
 * Node's own IPC channel (NODE_CHANNEL_FD, set when forked by a parent Node) is kept.
 * @returns the fds that were closed
 */
export function closeInheritedFds(): number[] {
  const keep = new Set([0, 1, 2, Number(process.env.NODE_CHANNEL_FD ?? -1)]);
  const closed: number[] = [];
  for (const name of readdirSync('/proc/self/fd')) {
    const fd = Number(name);
    if (keep.has(fd)) continue;
    let flags: number;
    try {
      const match = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
      if (!match) continue;
      flags = parseInt(match[1]!, 8);
    } catch {
      continue; // the fd of the directory listing itself, already closed
    }
    if ((flags & O_CLOEXEC) !== 0) continue;
    closeSync(fd);
    closed.push(fd);
  }
  return closed;
}
