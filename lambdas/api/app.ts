// Builds the Hono app (never listens): the same app runs under @hono/node-server locally and on Lambda.
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './context.js';
import { apiKeyAuth } from './middleware/api-key-auth.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';

const PLACEHOLDER_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CCEE</title></head>
<body><h1>CCEE</h1><p>The API is running. The recruiter UI is coming; meanwhile see <code>README.md</code> for the API.</p></body></html>`;

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.onError(errorHandler(deps.logger));
  app.notFound(notFoundHandler);

  app.get('/', (c) => c.html(deps.indexHtml ?? PLACEHOLDER_PAGE));
  app.route('/health', healthRoutes(deps));

  const auth = apiKeyAuth(deps.apiKeys);
  const jobs = jobRoutes(deps);
  app.use('/v1/*', auth);
  app.use('/executions/*', auth);
  app.use('/executions', auth);
  app.route('/v1/jobs', jobs);
  app.route('/executions', jobs);
  return app;
}
