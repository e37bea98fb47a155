// GET /health: is Redis reachable, and how deep is the queue. 503 when Redis does not answer.
import { Hono } from 'hono';
import type { AppDeps } from '../context.js';

export function healthRoutes({ redis, queue, logger }: AppDeps) {
  const app = new Hono();
  app.get('/', async (c) => {
    try {
      await redis.ping();
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
      return c.json({ status: 'ok', redis: 'up', queue: counts });
    } catch (error) {
      logger.warn({ err: error }, 'health check failed');
      return c.json({ status: 'unavailable', redis: 'down' }, 503);
    }
  });
  return app;
}
