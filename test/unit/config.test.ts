// The env schema: the seed's defaults, and a bad value names its variable.
import { expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.js';

test('defaults are the seed README values', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({
    PORT: 8080,
    AUTH_MODE: 'api_key',
    JWT_TENANT_CLAIM: 'custom:tenant_id',
    JWT_SUBJECT_CLAIM: 'sub',
    RATE_LIMIT_REQUESTS_PER_MINUTE: 240,
    RATE_LIMIT_WINDOW_SECONDS: 60,
    SUBMIT_RATE_LIMIT_PER_MINUTE: 60,
    MAX_SOURCE_CODE_BYTES: 100_000,
    MAX_STDIN_BYTES: 100_000,
    AI_PROVIDER: 'none',
    OPENAI_MODEL: 'gpt-4.1-mini',
    AI_ANALYSIS_TIMEOUT_MS: 10_000,
    AI_ANALYSIS_RETRIES: 2,
    AI_ANALYSIS_RETRY_BACKOFF_MS: 500,
    QUEUE_DEPTH_METRIC_NAMESPACE: 'CCEE',
    QUEUE_DEPTH_METRIC_NAME: 'PendingJobsCount',
    QUEUE_DEPTH_PUBLISH_INTERVAL_MS: 30_000,
    QUEUE_DEPTH_METRIC_SERVICE_NAME: 'worker',
    EXECUTION_BACKEND: 'local',
  });
  expect(c.REDIS_URL).toBeUndefined();
});

test.each([
  [{ PORT: 'eighty' }, 'PORT'],
  [{ PORT: '70000' }, 'PORT'],
  [{ AUTH_MODE: 'password' }, 'AUTH_MODE'],
  [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
  [{ TENANT_API_KEYS_JSON: '{not json' }, 'TENANT_API_KEYS_JSON'],
  [{ TENANT_API_KEYS_JSON: '{"a-long-enough-key": "bad tenant!"}' }, 'TENANT_API_KEYS_JSON'],
  [{ AI_PROVIDER: 'openai' }, 'OPENAI_API_KEY'],
  [{ AUTH_MODE: 'jwt' }, 'JWT_JWKS_URL'],
  [{ MAX_SOURCE_CODE_BYTES: '950000', MAX_REQUEST_BODY_BYTES: '1000000' }, 'MAX_REQUEST_BODY_BYTES'],
  [{ WORKER_CONCURRENCY: '0' }, 'WORKER_CONCURRENCY'],
])('%j is refused naming %s', (env, name) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(new RegExp(`^\\s*${name}\\b`, 'm'));
});

test('secret values are not echoed in the error', () => {
  try {
    loadConfig({ TENANT_API_KEYS_JSON: '{"sk-very-secret-value": 7}' });
    expect.unreachable();
  } catch (error) {
    expect((error as Error).message).not.toContain('sk-very-secret-value');
  }
});

test('TENANT_API_KEYS_JSON accepts a tenant name or a tenant with quotas', () => {
  const c = loadConfig({
    TENANT_API_KEYS_JSON: JSON.stringify({
      'key-one-1234': 'acme',
      'key-two-1234': { tenantId: 'globex', maxConcurrentJobs: 2 },
    }),
  });
  expect(c.TENANT_API_KEYS_JSON).toEqual({
    'key-one-1234': 'acme',
    'key-two-1234': { tenantId: 'globex', maxConcurrentJobs: 2, maxDailyJobs: 1000 },
  });
});
