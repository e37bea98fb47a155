// Every environment variable CCEE reads, parsed once at start; a bad value stops the process naming the variable.
import os from 'node:os';
import { z } from 'zod';

const int = (min: number, max: number = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

/** A tenant's quotas when its entry does not set them. */
export const DEFAULT_TENANT_QUOTAS = { maxConcurrentJobs: 5, maxDailyJobs: 1000 } as const;

const tenantQuotaSchema = z.object({
  maxConcurrentJobs: int(1).default(DEFAULT_TENANT_QUOTAS.maxConcurrentJobs),
  maxDailyJobs: int(1).default(DEFAULT_TENANT_QUOTAS.maxDailyJobs),
});

/** TENANT_API_KEYS_JSON: `{"<api key>": "<tenant>"}` or `{"<api key>": {"tenantId": "...", "maxConcurrentJobs": 5, "maxDailyJobs": 1000}}`. */
const tenantApiKeysSchema = z.record(
  z.string().min(8, 'API keys must be at least 8 characters'),
  z.union([
    z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'tenant ids are 1-64 of A-Z a-z 0-9 . _ -'),
    tenantQuotaSchema.extend({
      tenantId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'tenant ids are 1-64 of A-Z a-z 0-9 . _ -'),
    }),
  ]),
);

const jsonOf = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx): z.output<T> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
      return z.NEVER;
    }
    return parsed.data;
  });

export const configSchema = z
  .object({
    PORT: int(1, 65535).default(8080),
    REDIS_URL: z.string().url().optional(),
    /** First part of every Redis key (and BullMQ's hash tag), so environments can share one Redis. */
    CCEE_KEY_NAMESPACE: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,32}$/)
      .default('ccee'),
    /** Where `npm run dev` keeps the data (AOF) of the Redis it starts; relative paths are from the repo root. */
    /** `npm run dev` and `npm test` install missing Debian packages (as root, with apt-get) unless this is false. */
    DEV_INSTALL_PACKAGES: z
      .enum(['true', 'false', '1', '0'])
      .transform((v) => v === 'true' || v === '1')
      .default(true),
    DEV_REDIS_DIR: z.string().min(1).default('.dev/redis'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    AUTH_MODE: z.enum(['api_key', 'jwt', 'hybrid']).default('api_key'),
    TENANT_API_KEYS_JSON: jsonOf(tenantApiKeysSchema).optional(),
    TENANT_POLICIES_JSON: jsonOf(z.record(z.string(), tenantQuotaSchema)).optional(),
    JWT_JWKS_URL: z.string().url().optional(),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().optional(),
    JWT_TENANT_CLAIM: z.string().default('custom:tenant_id'),
    JWT_SUBJECT_CLAIM: z.string().default('sub'),

    RATE_LIMIT_REQUESTS_PER_MINUTE: int(1).default(240),
    RATE_LIMIT_WINDOW_SECONDS: int(1).default(60),
    SUBMIT_RATE_LIMIT_PER_MINUTE: int(1).default(60),
    MAX_SOURCE_CODE_BYTES: int(1).default(100_000),
    MAX_STDIN_BYTES: int(0).default(100_000),
    /** Hard cap on a request body, checked while it streams in, before JSON parsing. */
    MAX_REQUEST_BODY_BYTES: int(1024).default(1_048_576),
    MAX_STDIO_BYTES: int(1024).default(65_536),
    JOB_RETENTION_SECONDS: int(60).default(7 * 24 * 3600),
    /** How long the API waits for the queue to take a job before answering 503 (and removing the record). */
    ENQUEUE_TIMEOUT_MS: int(50, 60_000).default(5000),

    EXECUTION_BACKEND: z.enum(['local', 'ecs']).default('local'),
    WORKER_CONCURRENCY: int(1, 256).default(os.availableParallelism()),
    COMPILE_TIMEOUT_MS: int(1000, 120_000).default(15_000),
    SANDBOX_CGROUP_NAME: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .default('ccee'),
    SANDBOX_WORK_DIR: z.string().startsWith('/').default('/run/ccee'),
    SANDBOX_TMPFS_MB: int(1, 4096).default(64),
    SANDBOX_MAX_PROCESSES: int(8, 4096).default(64),
    SANDBOX_MAX_FILE_BYTES: int(4096).default(16 * 1024 * 1024),
    SANDBOX_MAX_OPEN_FILES: int(16, 65_536).default(256),

    AI_PROVIDER: z.enum(['none', 'openai']).default('none'),
    OPENAI_API_KEY: z.string().optional(),
    OPENAI_MODEL: z.string().default('gpt-4.1-mini'),
    AI_ANALYSIS_TIMEOUT_MS: int(1).default(10_000),
    AI_ANALYSIS_RETRIES: int(0, 10).default(2),
    AI_ANALYSIS_RETRY_BACKOFF_MS: int(0).default(500),

    QUEUE_DEPTH_METRIC_NAMESPACE: z.string().default('CCEE'),
    QUEUE_DEPTH_METRIC_NAME: z.string().default('PendingJobsCount'),
    QUEUE_DEPTH_PUBLISH_INTERVAL_MS: int(1000).default(30_000),
    QUEUE_DEPTH_METRIC_SERVICE_NAME: z.string().default('worker'),
  })
  .superRefine((c, ctx) => {
    if (c.AI_PROVIDER === 'openai' && !c.OPENAI_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['OPENAI_API_KEY'],
        message: 'is required when AI_PROVIDER=openai',
      });
    }
    if (c.AUTH_MODE !== 'api_key') {
      for (const name of ['JWT_JWKS_URL', 'JWT_ISSUER'] as const) {
        if (!c[name])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `is required when AUTH_MODE=${c.AUTH_MODE}`,
          });
      }
    }
    if (c.MAX_REQUEST_BODY_BYTES < c.MAX_SOURCE_CODE_BYTES + c.MAX_STDIN_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAX_REQUEST_BODY_BYTES'],
        message: 'must be at least MAX_SOURCE_CODE_BYTES + MAX_STDIN_BYTES',
      });
    }
  });

export type Config = z.output<typeof configSchema>;

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parse the environment once at start.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "unset", as it does for most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const shown =
      name in present && !/KEY|SECRET|TOKEN/.test(name) ? ` (got ${JSON.stringify(present[name])})` : '';
    return `  ${name}${shown}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
