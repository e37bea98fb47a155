// Runs one phase (compile or run) in a prepared cgroup and workspace, enforcing the wall and output limits.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import type { PhaseResult } from '../../core/model/execution-result.js';
import { bwrapArgs, SOURCE_FD, wrapperArgv, type PhaseLimits, type SandboxMounts } from './bwrap-args.js';
import type { JobCgroup } from './cgroup.js';
import { OutputCapture } from './output-capture.js';

export interface PhaseSpec {
  cgroup: JobCgroup;
  mounts: SandboxMounts;
  limits: PhaseLimits;
  command: readonly string[];
  stdin: string;
  /** Source text for `private` mounts, written to the child's SOURCE_FD for bwrap to read. */
  sourceData?: string;
  wallTimeoutMs: number;
  maxStdioBytes: number;
  seccompFile: string;
}

/** A phase's result plus what the runner saw, which decides the outcome. */
export interface PhaseRun extends PhaseResult {
  timedOut: boolean;
  outputOverflow: boolean;
  oomKills: number;
}

/** Number → name, first name wins: os.constants lists SIGABRT before its alias SIGIOT, SIGIO before SIGPOLL. */
const SIGNAL_NAMES = new Map<number, string>();
for (const [name, num] of Object.entries(constants.signals))
  if (!SIGNAL_NAMES.has(num)) SIGNAL_NAMES.set(num, name);

/** bwrap reports a child killed by signal N as exit status 128+N, like a shell. */
function decodeExit(status: number): { exitCode: number | null; signal: string | null } {
  const signal = status > 128 ? SIGNAL_NAMES.get(status - 128) : undefined;
  return signal ? { exitCode: null, signal } : { exitCode: status, signal: null };
}

function parseStatus(text: string): { childPid?: number; exitCode?: number } {
  const result: { childPid?: number; exitCode?: number } = {};
  for (const match of text.matchAll(/\{[^}]*\}/g)) {
    try {
      const value = JSON.parse(match[0]) as Record<string, unknown>;
      if (typeof value['child-pid'] === 'number') result.childPid = value['child-pid'];
      if (typeof value['exit-code'] === 'number') result.exitCode = value['exit-code'];
    } catch {
      // bwrap writes one object per line; a partial line means it died mid-write.
    }
  }
  return result;
}

export async function runPhase(spec: PhaseSpec): Promise<PhaseRun> {
  const argv = wrapperArgv(
    spec.cgroup.procsFiles,
    spec.limits,
    bwrapArgs(spec.mounts, spec.limits, spec.command),
  );
  // A fresh open file description per spawn: bwrap reads the filter from the fd's offset.
  const seccompFd = openSync(spec.seccompFile, 'r');
  let timedOut = false;
  let outputOverflow = false;
  let killing: Promise<void> | null = null;
  const killJob = (): void => {
    killing ??= spec.cgroup.killAll();
  };

  const started = performance.now();
  const child = spawn('/bin/sh', argv, {
    stdio: [
      'pipe',
      'pipe',
      'pipe',
      seccompFd,
      'pipe',
      ...(spec.sourceData === undefined ? [] : ['pipe' as const]),
    ],
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  closeSync(seccompFd);
  if (spec.sourceData !== undefined) {
    // Written asynchronously: bwrap reads it during setup, and a source bigger than the pipe
    // buffer must not block the worker. If bwrap dies first, EPIPE is reported as a setup failure.
    const source = (child.stdio as unknown as Writable[])[SOURCE_FD]!;
    source.on('error', () => undefined);
    source.end(spec.sourceData);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const onOverflow = (): void => {
    outputOverflow = true;
    killJob();
  };
  const stdout = new OutputCapture(child.stdout!, spec.maxStdioBytes, onOverflow);
  const stderr = new OutputCapture(child.stderr!, spec.maxStdioBytes, onOverflow);
  let statusText = '';
  const statusStream = child.stdio[4]!;
  statusStream.on('data', (chunk: Buffer) => {
    if (statusText.length < 4096) statusText += chunk.toString('utf8');
  });
  const statusDone = new Promise<void>((resolve) => statusStream.once('close', resolve));

  // A program that exits without reading its stdin makes this write fail with EPIPE; that is its business.
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(spec.stdin);

  const timer = setTimeout(() => {
    timedOut = true;
    killJob();
  }, spec.wallTimeoutMs);

  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await exited;
  } finally {
    clearTimeout(timer);
  }
  const wallTimeMs = Math.round(performance.now() - started);
  // Whatever is left (daemons, a half-dead pid namespace) dies now, before counters are read.
  killJob();
  await killing;
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all([stdout.done, stderr.done, statusDone]),
    new Promise((r) => (drainTimer = setTimeout(r, 2000))),
  ]);
  clearTimeout(drainTimer);
  child.stdout!.destroy();
  child.stderr!.destroy();
  statusStream.destroy();

  const status = parseStatus(statusText);
  if (exit.signal === null && status.exitCode === undefined) {
    // bwrap or the wrapper failed before the program ran (bad mount, cgroup write, missing binary).
    const detail = stderr.result().slice(0, 500);
    throw new Error(`sandbox setup failed (exit ${exit.code}): ${detail}`);
  }
  const usage = await spec.cgroup.usage();
  const decoded =
    exit.signal !== null ? { exitCode: null, signal: exit.signal } : decodeExit(status.exitCode!);
  return {
    ...decoded,
    stdout: stdout.result(),
    stderr: stderr.result(),
    stdoutTruncated: stdout.truncated,
    stderrTruncated: stderr.truncated,
    wallTimeMs,
    cpuTimeMs: usage.cpuTimeMs,
    peakMemoryBytes: usage.peakMemoryBytes,
    peakProcesses: usage.peakProcesses,
    timedOut,
    outputOverflow,
    oomKills: usage.oomKills,
  };
}
