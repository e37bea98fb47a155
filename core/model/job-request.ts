// The body of POST /v1/jobs: validated here, with the defaults and ranges of the limits table.
import { z } from 'zod';
import { LANGUAGES } from '../languages.js';
import { JOB_LIMITS, type LimitName } from './limits.js';

const limit = (name: LimitName) => {
  const spec = JOB_LIMITS[name];
  return z
    .number({ error: `${name} must be an integer between ${spec.min} and ${spec.max}` })
    .int({ error: `${name} must be an integer between ${spec.min} and ${spec.max}` })
    .min(spec.min, { error: `${name} must be between ${spec.min} and ${spec.max} (got a smaller value)` })
    .max(spec.max, { error: `${name} must be between ${spec.min} and ${spec.max} (got a larger value)` })
    .default(spec.default);
};

export const jobRequestSchema = z.strictObject(
  {
    language: z.enum(LANGUAGES, {
      error: `language must be one of: ${LANGUAGES.join(', ')}`,
    }),
    sourceCode: z
      .string({ error: 'sourceCode is required and must be a string' })
      .min(1, 'sourceCode must not be empty'),
    stdin: z.string({ error: 'stdin must be a string' }).default(''),
    timeoutMs: limit('timeoutMs'),
    memoryMb: limit('memoryMb'),
    cpuMillicores: limit('cpuMillicores'),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s): ${issue.keys.join(', ')}; allowed: language, sourceCode, stdin, timeoutMs, memoryMb, cpuMillicores`
        : 'the body must be a JSON object',
  },
);

export type JobRequest = z.output<typeof jobRequestSchema>;
