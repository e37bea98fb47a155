// One structured JSON logger (pino) for every process; secrets and submitted source never reach it.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The root logger. Child loggers carry `jobId` and `tenantId` on every line about a job.
 * The redact list is a safety net; code must not log sources, keys or tokens in the first place.
 */
export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  name = 'ccee',
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: [
          'sourceCode',
          'stdin',
          'apiKey',
          'authorization',
          '*.sourceCode',
          '*.stdin',
          '*.apiKey',
          '*.authorization',
          'req.headers["x-api-key"]',
          'req.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
