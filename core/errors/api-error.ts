// The one error type of the API: a status, a stable code and a message a person can act on.

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * Thrown anywhere on a request's path; the central handler renders it as
 * `{ "error": { "code", "message", "details"? } }` with its status.
 * @example throw new ApiError(404, 'job_not_found', `No job ${id}`)
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}
