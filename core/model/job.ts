// A job as stored (flat Redis hash) and as shown to API clients.
import type { ExecutionRequest, ExecutionResult } from './execution-result.js';
import type { JobStatus, Outcome } from './outcome.js';

/** The program and its limits (an {@link ExecutionRequest}) plus where the job is in its life. */
export interface JobRecord extends ExecutionRequest {
  tenantId: string;
  status: JobStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** How many times a worker has started it (retries after platform failures count). */
  attempts: number;
  outcome?: Outcome;
  result?: ExecutionResult;
  /** Platform error text when status is `failed`; never program output. */
  error?: string;
}

const NUMERIC = [
  'timeoutMs',
  'memoryMb',
  'cpuMillicores',
  'createdAt',
  'startedAt',
  'finishedAt',
  'attempts',
] as const;

/** Flatten a record (or part of it) into HSET field/value pairs. */
export function toHashFields(record: Partial<JobRecord>): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) continue;
    out.push(field, field === 'result' ? JSON.stringify(value) : String(value));
  }
  return out;
}

/** Rebuild a record from HGETALL; null for a missing key. */
export function fromHash(hash: Record<string, string>): JobRecord | null {
  if (!hash.jobId) return null;
  const record: Record<string, unknown> = { ...hash };
  for (const field of NUMERIC) if (hash[field] !== undefined) record[field] = Number(hash[field]);
  if (hash.result) record.result = JSON.parse(hash.result);
  return record as unknown as JobRecord;
}

/** The public shape of a job. `detail` adds the source and stdin (single-job reads only). */
export function toJobView(job: JobRecord, detail = false) {
  const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    jobId: job.jobId,
    status: job.status,
    outcome: job.outcome ?? null,
    language: job.language,
    limits: { timeoutMs: job.timeoutMs, memoryMb: job.memoryMb, cpuMillicores: job.cpuMillicores },
    createdAt: iso(job.createdAt),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    queueWaitMs: job.startedAt === undefined ? null : job.startedAt - job.createdAt,
    runMs:
      job.startedAt === undefined || job.finishedAt === undefined ? null : job.finishedAt - job.startedAt,
    attempts: job.attempts,
    ...(detail ? { sourceCode: job.sourceCode, stdin: job.stdin } : {}),
    result: job.result ?? null,
    ...(job.error ? { error: job.error } : {}),
  };
}

export type JobView = ReturnType<typeof toJobView>;
