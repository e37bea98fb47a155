// Names each sandbox instance after its owning process, so a later instance can tell leftovers of a dead worker from a live one's.
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';

/**
 * `inst-<pid ns inode>-<pid>-<start time>-<random>`: the owner's pid namespace and pid, its start time
 * (clock ticks since boot, /proc/<pid>/stat field 22, so a recycled pid does not look alive) and a
 * random part (two instances in one process).
 */
const INSTANCE_ID = /^inst-(\d+)-(\d+)-(\d+)-[0-9a-f]{8}$/;

/** Start time of `pid` in clock ticks since boot, or null when no such process exists. */
export function processStartTime(pid: number): bigint | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ESRCH'
    )
      return null;
    throw error;
  }
  // comm (field 2) may contain spaces and parentheses; the fields after the last ')' start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[22 - 3];
  if (start === undefined || !/^\d+$/.test(start)) throw new Error(`cannot parse /proc/${pid}/stat`);
  return BigInt(start);
}

/** Inode of this process's pid namespace: pids mean something only within one namespace. */
function pidNamespace(): string {
  return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0';
}

export function newInstanceId(): string {
  const start = processStartTime(process.pid);
  if (start === null) throw new Error('cannot read this process start time from /proc');
  return `inst-${pidNamespace()}-${process.pid}-${start}-${randomBytes(4).toString('hex')}`;
}

export function isInstanceId(name: string): boolean {
  return INSTANCE_ID.test(name);
}

/**
 * True only when the instance's owner is certainly gone: same pid namespace as ours, and no process
 * with that pid and start time. Anything unclear (another pid namespace, an unreadable /proc) counts
 * as alive, so a sweep never touches a live instance's jobs.
 */
export function isInstanceDead(name: string): boolean {
  const match = INSTANCE_ID.exec(name);
  if (!match) return false;
  const [, namespace, pid, start] = match;
  if (namespace !== pidNamespace()) return false;
  try {
    const current = processStartTime(Number(pid));
    return current === null || current !== BigInt(start!);
  } catch {
    return false;
  }
}
