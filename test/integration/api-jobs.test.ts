// The job API through app.request() against real Redis: submit, read, tenancy, validation and payload limits.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { JOB_LIMITS } from '../../core/model/limits.js';
import { createTestApp, KEY_A, KEY_B } from '../support/test-app.js';

const MAX_SOURCE = 2000;
const MAX_STDIN = 1000;
const MAX_BODY = 8192;
let t: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  t = await createTestApp({
    MAX_SOURCE_CODE_BYTES: String(MAX_SOURCE),
    MAX_STDIN_BYTES: String(MAX_STDIN),
    MAX_REQUEST_BODY_BYTES: String(MAX_BODY),
  });
});
afterAll(() => t.close());

const valid = { language: 'python', sourceCode: 'print("hi")' };

async function queued() {
  return (await t.queue.getJobCounts('waiting')).waiting ?? 0;
}

describe('submit and read', () => {
  test('a valid job is accepted, stored with defaults and queued', async () => {
    const before = await queued();
    const res = await t.submit(valid);
    expect(res.status).toBe(202);
    const { jobId, status } = (await res.json()) as { jobId: string; status: string };
    expect(status).toBe('queued');
    expect(res.headers.get('location')).toBe(`/v1/jobs/${jobId}`);
    expect(await queued()).toBe(before + 1);

    const job = (await (await t.request(`/v1/jobs/${jobId}`)).json()) as Record<string, unknown>;
    expect(job).toMatchObject({
      jobId,
      status: 'queued',
      outcome: null,
      language: 'python',
      sourceCode: valid.sourceCode,
      stdin: '',
      limits: {
        timeoutMs: JOB_LIMITS.timeoutMs.default,
        memoryMb: JOB_LIMITS.memoryMb.default,
        cpuMillicores: JOB_LIMITS.cpuMillicores.default,
      },
      startedAt: null,
      result: null,
    });
  });

  test("another tenant's job is a 404 identical to a missing job", async () => {
    const { jobId } = (await (await t.submit(valid, KEY_A)).json()) as { jobId: string };
    const foreign = await t.request(`/v1/jobs/${jobId}`, { key: KEY_B });
    const missingId = '01' + jobId.slice(2, 25) + (jobId.endsWith('0') ? '1' : '0');
    const missing = await t.request(`/v1/jobs/${missingId}`, { key: KEY_B });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    const body = (await foreign.json()) as { error: { code: string; message: string } };
    const missingBody = (await missing.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(missingBody.error.code);
    expect(body.error.message.replace(jobId, 'ID')).toBe(missingBody.error.message.replace(missingId, 'ID'));
    expect((await t.request(`/executions/${jobId}/logs`, { key: KEY_B })).status).toBe(404);
    expect((await t.request(`/v1/jobs/${jobId}`, { key: KEY_A })).status).toBe(200);
  });

  test('a malformed job id is a 404, not a 400 or 500', async () => {
    for (const id of ['nope', '..%2F..%2Fetc', '{t:tenant-b}', 'x'.repeat(300)]) {
      expect((await t.request(`/v1/jobs/${id}`)).status).toBe(404);
    }
  });
});

describe('authentication', () => {
  test('missing or wrong x-api-key is a 401 on every /v1 and /executions route', async () => {
    for (const path of ['/v1/jobs', '/executions', '/v1/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV']) {
      const missing = await t.request(path, { key: null });
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      expect((await t.request(path, { key: 'not-a-real-key' })).status).toBe(401);
    }
  });
});

describe('validation', () => {
  async function error(res: Response) {
    return ((await res.json()) as { error: { code: string; message: string; details?: unknown } }).error;
  }

  test('an unknown language lists the supported ones', async () => {
    const res = await t.submit({ ...valid, language: 'cobol' });
    expect(res.status).toBe(400);
    expect((await error(res)).message).toBe('language must be one of: javascript, python, java');
  });

  test.each(Object.entries(JOB_LIMITS))(
    '%s: min and max pass, one past either fails naming the range',
    async (name, spec) => {
      for (const ok of [spec.min, spec.max])
        expect((await t.submit({ ...valid, [name]: ok })).status).toBe(202);
      for (const bad of [spec.min - 1, spec.max + 1, 'ten', 1.5]) {
        const res = await t.submit({ ...valid, [name]: bad });
        expect(res.status).toBe(400);
        const err = await error(res);
        expect(err.message).toContain(name);
        expect(err.message).toContain(`${spec.min} and ${spec.max}`);
      }
    },
  );

  test('missing sourceCode, unknown fields and non-objects are 400 with a reason', async () => {
    expect((await error(await t.submit({ language: 'python' }))).message).toMatch(/sourceCode is required/);
    expect((await error(await t.submit({ ...valid, timeout: 5 }))).message).toMatch(
      /unknown field\(s\): timeout/,
    );
    for (const body of ['[]', '"text"', 'null', '42']) expect((await t.submit(body)).status).toBe(400);
  });

  test('malformed JSON is a 400 and a wrong content type a 415', async () => {
    const bad = await t.submit('{"language": "python",');
    expect(bad.status).toBe(400);
    expect((await error(bad)).code).toBe('invalid_json');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      const res = await t.request('/v1/jobs', {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: JSON.stringify(valid),
      });
      expect(res.status).toBe(415);
    }
    expect(
      (
        await t.request('/v1/jobs', {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(valid),
        })
      ).status,
    ).toBe(202);
  });
});

describe('payload limits', () => {
  test.each([
    ['sourceCode', MAX_SOURCE],
    ['stdin', MAX_STDIN],
  ] as const)(
    '%s at the limit passes; one byte over is a 413 and nothing is stored or queued',
    async (field, limit) => {
      // A two-byte character at the end: the limit is in UTF-8 bytes, not characters.
      const atLimit = 'a'.repeat(limit - 2) + 'é';
      expect((await t.submit({ ...valid, [field]: atLimit })).status).toBe(202);

      const historyBefore = await t.deps.store.list('tenant-a', 100);
      const queuedBefore = await queued();
      const res = await t.submit({ ...valid, [field]: atLimit + 'a' });
      expect(res.status).toBe(413);
      const body = (await res.json()) as {
        error: { code: string; message: string; details: Record<string, unknown> };
      };
      expect(body.error.code).toBe('payload_too_large');
      expect(body.error.details).toEqual({ field, sizeBytes: limit + 1, limitBytes: limit });
      expect((await t.deps.store.list('tenant-a', 100)).jobs.length).toBe(historyBefore.jobs.length);
      expect(await queued()).toBe(queuedBefore);
    },
  );

  test('a body over the hard cap is refused while streaming, without a content-length', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Would be 64 MiB if the server read it all; it must stop shortly after MAX_BODY.
        if (sent >= 64 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await t.app.request('/v1/jobs', {
      method: 'POST',
      headers: { 'x-api-key': KEY_A, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(MAX_BODY + 64 * 1024);
  });

  test('a declared content-length over the cap is refused before reading', async () => {
    const res = await t.submit({ ...valid, sourceCode: 'a'.repeat(MAX_BODY) });
    expect(res.status).toBe(413);
  });
});
