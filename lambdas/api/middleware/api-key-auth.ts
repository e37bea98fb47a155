// x-api-key authentication: resolves the caller's tenant or answers 401; every /v1 route sits behind it.
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../../core/errors/api-error.js';
import type { ApiKeyDirectory } from '../../../core/tenancy/api-keys.js';
import type { AppEnv } from '../context.js';

export function apiKeyAuth(apiKeys: ApiKeyDirectory) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('x-api-key');
    if (!key) throw new ApiError(401, 'unauthorized', 'Missing x-api-key header');
    const tenant = apiKeys.lookup(key);
    if (!tenant) throw new ApiError(401, 'unauthorized', 'Invalid API key');
    c.set('tenant', tenant);
    await next();
  });
}
