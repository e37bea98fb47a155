// Job records and tenant history in Redis. Every read and write is scoped by tenant through the key's hash tag.
import type { Redis } from 'ioredis';
import { encodeTime } from '../ids.js';
import type { ExecutionResult } from '../model/execution-result.js';
import { fromHash, toHashFields, type JobRecord } from '../model/job.js';
import type { JobStatus } from '../model/outcome.js';
import type { KeySpace } from '../redis/keys.js';
import { ScriptCode, withScripts, type ScriptCommands } from '../redis/scripts.js';

export interface JobPage {
  jobs: JobRecord[];
  /** Pass back as `cursor` for the next (older) page; null when there is none. */
  nextCursor: string | null;
}

export class JobStore {
  private readonly redis: Redis & ScriptCommands;

  constructor(
    redis: Redis,
    private readonly keys: KeySpace,
    private readonly retentionSeconds: number,
  ) {
    this.redis = withScripts(redis);
  }

  async create(job: JobRecord): Promise<void> {
    const oldestKept = encodeTime(Math.max(0, job.createdAt - this.retentionSeconds * 1000));
    const code = await this.redis.createJob(
      this.keys.job(job.tenantId, job.jobId),
      this.keys.jobHistory(job.tenantId),
      job.jobId,
      this.retentionSeconds,
      oldestKept,
      ...toHashFields(job),
    );
    if (code !== ScriptCode.Ok) throw new Error(`job ${job.jobId} already exists`);
  }

  /** Undo `create` when the job could not be enqueued. */
  async remove(tenantId: string, jobId: string): Promise<void> {
    await this.redis.deleteJob(this.keys.job(tenantId, jobId), this.keys.jobHistory(tenantId), jobId);
  }

  async get(tenantId: string, jobId: string): Promise<JobRecord | null> {
    return fromHash(await this.redis.hgetall(this.keys.job(tenantId, jobId)));
  }

  /** Newest first. `cursor` is the last job id of the previous page. */
  async list(tenantId: string, limit: number, cursor?: string): Promise<JobPage> {
    const history = this.keys.jobHistory(tenantId);
    const ids = await this.redis.zrevrangebylex(
      history,
      cursor ? `(${cursor}` : '+',
      '-',
      'LIMIT',
      0,
      limit + 1,
    );
    const pageIds = ids.slice(0, limit);
    const pipeline = this.redis.pipeline();
    for (const id of pageIds) pipeline.hgetall(this.keys.job(tenantId, id));
    const hashes = (await pipeline.exec()) ?? [];
    const jobs = hashes
      .map(([error, hash]) => (error ? null : fromHash(hash as Record<string, string>)))
      .filter((job): job is JobRecord => job !== null);
    return { jobs, nextCursor: ids.length > limit ? (pageIds.at(-1) ?? null) : null };
  }

  /**
   * queued -> running. A retry after a worker crash finds it already running and starts again.
   * Returns false when the job is gone or already terminal (nothing to run).
   */
  async markRunning(tenantId: string, jobId: string, attempts: number, now = Date.now()): Promise<boolean> {
    return this.transition(tenantId, jobId, ['queued', 'running'], 'running', { startedAt: now, attempts });
  }

  /** running -> completed, with the sandbox's verdict. */
  async complete(
    tenantId: string,
    jobId: string,
    result: ExecutionResult,
    now = Date.now(),
  ): Promise<boolean> {
    return this.transition(tenantId, jobId, ['running'], 'completed', {
      finishedAt: now,
      outcome: result.outcome,
      result,
    });
  }

  /** queued|running -> failed: the platform gave up (retries exhausted). */
  async fail(tenantId: string, jobId: string, error: string, now = Date.now()): Promise<boolean> {
    return this.transition(tenantId, jobId, ['queued', 'running'], 'failed', {
      finishedAt: now,
      outcome: 'internal_error',
      error,
    });
  }

  private async transition(
    tenantId: string,
    jobId: string,
    from: JobStatus[],
    to: JobStatus,
    fields: Partial<JobRecord>,
  ): Promise<boolean> {
    const code = await this.redis.transitionJob(
      this.keys.job(tenantId, jobId),
      from.join(','),
      to,
      ...toHashFields(fields),
    );
    return code === ScriptCode.Ok;
  }
}
