// Job status (where a job is in its life) and outcome (what its program did), kept apart on purpose.

/**
 * Where a job is in its life. `queued` -> `running` -> `completed` | `failed`.
 * `completed` means the sandbox ran the program and reached a verdict (see {@link Outcome});
 * `failed` means the platform could not run it (outcome `internal_error`).
 */
export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed'];

/**
 * What the program did. Set only once the job is terminal.
 * - `success`: exit code 0 within every limit.
 * - `runtime_error`: non-zero exit code or killed by a signal it raised itself.
 * - `compile_error`: the compiler (javac) rejected the source; see `result.compile`.
 * - `time_limit_exceeded`: killed at the wall-clock limit (`timeoutMs`).
 * - `cpu_time_limit_exceeded`: used more CPU time than allowed (RLIMIT_CPU).
 * - `memory_limit_exceeded`: killed by the kernel's OOM killer in the job's memory cgroup.
 * - `output_limit_exceeded`: wrote more than MAX_STDIO_BYTES to stdout or stderr, killed.
 * - `internal_error`: the platform failed; the program may not have run.
 */
export const OUTCOMES = [
  'success',
  'runtime_error',
  'compile_error',
  'time_limit_exceeded',
  'cpu_time_limit_exceeded',
  'memory_limit_exceeded',
  'output_limit_exceeded',
  'internal_error',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
