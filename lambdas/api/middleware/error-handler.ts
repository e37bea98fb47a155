// The one place errors become responses: ApiError renders itself; anything else is logged and answered with a bare 500.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../../../core/errors/api-error.js';
import type { Logger } from '../../../core/logger.js';

export function errorHandler(logger: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof ApiError) return c.json(error.toBody(), error.status);
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(
        { error: { code: 'bad_request', message: error.message || 'Bad request' } },
        error.status,
      );
    }
    if (isRedisUnavailable(error)) {
      logger.error({ err: error, method: c.req.method, path: c.req.path }, 'redis unavailable');
      return c.json(
        { error: { code: 'service_unavailable', message: 'Storage is unavailable; retry shortly.' } },
        503,
      );
    }
    logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal_error', message: 'Internal server error' } }, 500);
  };
}

export function notFoundHandler(c: Context) {
  return c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404);
}

/** ioredis with the offline queue off fails fast with these while Redis is unreachable. */
function isRedisUnavailable(error: Error): boolean {
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Stream isn't writeable|Connection is closed|ECONNREFUSED|ETIMEDOUT/.test(error.message)
  );
}
