// Reads a JSON request body safely: 415 for another content type, 413 past the hard cap (while streaming), 400 for bad JSON.
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../../core/errors/api-error.js';

export function jsonBodyLimit(maxBytes: number) {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `Request body exceeds ${maxBytes} bytes`, {
        limitBytes: maxBytes,
      });
    },
  });
  return createMiddleware(async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `Send the body as JSON with content-type: application/json (got ${type ? JSON.stringify(type) : 'none'})`,
      );
    }
    return limit(c, next);
  });
}

/** The parsed body; call after `jsonBodyLimit`. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}
