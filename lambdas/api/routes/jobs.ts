// Job routes: submit, read one, read its logs, list history. Mounted at /v1/jobs and at the seed's /executions alias.
import { Hono } from 'hono';
import { ApiError } from '../../../core/errors/api-error.js';
import { JOB_ID_PATTERN } from '../../../core/ids.js';
import { submitJob } from '../../../core/jobs/submit-job.js';
import { toJobView } from '../../../core/model/job.js';
import { jobRequestSchema } from '../../../core/model/job-request.js';
import type { AppDeps, AppEnv } from '../context.js';
import { jsonBodyLimit, readJson } from '../middleware/json-body.js';

const MAX_PAGE = 100;

export function jobRoutes(deps: AppDeps) {
  const { config, store } = deps;
  const app = new Hono<AppEnv>();

  app.post('/', jsonBodyLimit(config.MAX_REQUEST_BODY_BYTES), async (c) => {
    const parsed = jobRequestSchema.safeParse(await readJson(c));
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({
        field: i.path.join('.') || null,
        message: i.message,
      }));
      throw new ApiError(400, 'invalid_request', details.map((d) => d.message).join('; '), details);
    }
    const request = parsed.data;
    checkSize('sourceCode', request.sourceCode, config.MAX_SOURCE_CODE_BYTES);
    checkSize('stdin', request.stdin, config.MAX_STDIN_BYTES);
    const job = await submitJob(
      { ...deps, enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS },
      c.get('tenant').tenantId,
      request,
    );
    c.header('location', `/v1/jobs/${job.jobId}`);
    return c.json(
      { jobId: job.jobId, status: job.status, createdAt: new Date(job.createdAt).toISOString() },
      202,
    );
  });

  app.get('/', async (c) => {
    const limit = parseLimit(c.req.query('limit'));
    const cursor = c.req.query('cursor') || undefined;
    if (cursor !== undefined && !JOB_ID_PATTERN.test(cursor)) {
      throw new ApiError(400, 'invalid_cursor', 'cursor must be the nextCursor value of a previous page');
    }
    const page = await store.list(c.get('tenant').tenantId, limit, cursor);
    return c.json({ jobs: page.jobs.map((job) => toJobView(job)), nextCursor: page.nextCursor });
  });

  app.get('/:jobId', async (c) =>
    c.json(toJobView(await findJob(c.get('tenant').tenantId, c.req.param('jobId')), true)),
  );

  app.get('/:jobId/logs', async (c) => {
    const job = await findJob(c.get('tenant').tenantId, c.req.param('jobId'));
    const result = job.result;
    return c.json({
      jobId: job.jobId,
      status: job.status,
      stdout: result?.stdout ?? '',
      stderr: result?.stderr ?? '',
      stdoutTruncated: result?.stdoutTruncated ?? false,
      stderrTruncated: result?.stderrTruncated ?? false,
      compileOutput: result?.compile ? result.compile.stdout + result.compile.stderr : null,
    });
  });

  /** Another tenant's job and a missing one give the same 404: the key cannot even name it. */
  async function findJob(tenantId: string, jobId: string) {
    const job = JOB_ID_PATTERN.test(jobId) ? await store.get(tenantId, jobId) : null;
    if (!job) throw new ApiError(404, 'job_not_found', `No job ${jobId}`);
    return job;
  }

  return app;
}

function checkSize(field: string, value: string, limitBytes: number) {
  const sizeBytes = Buffer.byteLength(value, 'utf8');
  if (sizeBytes > limitBytes) {
    throw new ApiError(
      413,
      'payload_too_large',
      `${field} is ${sizeBytes} bytes; the limit is ${limitBytes} bytes`,
      {
        field,
        sizeBytes,
        limitBytes,
      },
    );
  }
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 20;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new ApiError(400, 'invalid_limit', `limit must be an integer between 1 and ${MAX_PAGE}`);
  }
  return limit;
}
