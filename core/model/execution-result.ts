// What one sandboxed execution produced: the contract between the runner and everything that stores or shows it.
import type { Language } from '../languages.js';
import type { Outcome } from './outcome.js';

/** One program to run under limits. Built by the worker from a stored job. */
export interface ExecutionRequest {
  /** Job id, used in names (cgroups, logs); never trusted as a path on its own. */
  jobId: string;
  language: Language;
  sourceCode: string;
  stdin: string;
  /** Wall-clock limit of the run phase (the compile phase has its own). */
  timeoutMs: number;
  memoryMb: number;
  cpuMillicores: number;
}

/** Output and measurements of one phase (compile or run), read from the phase's cgroup. */
export interface PhaseResult {
  exitCode: number | null;
  /** Signal name (`SIGKILL`, ...) when the process was killed by one, else null. */
  signal: string | null;
  /** Decoded as UTF-8; invalid bytes become U+FFFD, so any byte stream stores safely. */
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  wallTimeMs: number;
  /** CPU time of every process of the phase (cgroup cpuacct.usage / cpu.stat usage_usec). */
  cpuTimeMs: number;
  /** Peak memory of the phase's cgroup in bytes. */
  peakMemoryBytes: number;
  /** Highest number of processes/threads alive at once, when the kernel reports it. */
  peakProcesses: number | null;
}

export interface ExecutionResult extends PhaseResult {
  outcome: Outcome;
  /** Java only: the javac phase. Its stdout+stderr are the compiler output. */
  compile?: PhaseResult;
}
