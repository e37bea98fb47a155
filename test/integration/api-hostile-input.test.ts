// Whatever a client sends, the answer is a 4xx that says why, never a 500, and nothing half-stored.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestApp, KEY_A } from '../support/test-app.js';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const post = (body: BodyInit, type = 'application/json') =>
  t.app.request('/v1/jobs', { method: 'POST', headers: { 'x-api-key': KEY_A, 'content-type': type }, body });

test('bodies of every wrong shape get a 4xx with a code and a message', async () => {
  const bodies: BodyInit[] = [
    '',
    ' ',
    '{',
    '{"language":"python","sourceCode":"x"}garbage',
    '['.repeat(100_000) + ']'.repeat(100_000),
    '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
    JSON.stringify({ language: 'python', sourceCode: ['not', 'a', 'string'] }),
    JSON.stringify({ language: 'python', sourceCode: { toString: 'x' } }),
    JSON.stringify({ language: { $ne: 1 }, sourceCode: 'x' }),
    '{"__proto__": {"polluted": true}, "language": "python", "sourceCode": "x"}',
    JSON.stringify({ language: 'python', sourceCode: 'x', timeoutMs: 1e308 }),
    JSON.stringify({ language: 'python', sourceCode: 'x', memoryMb: -0 }),
    JSON.stringify({ language: 'python', sourceCode: 'x', cpuMillicores: null }),
    JSON.stringify({ language: 'python', sourceCode: 'x', stdin: 42 }),
    '\u0000\u0001\u0002',
    new Uint8Array([0xff, 0xfe, 0xfd, 0x00]),
  ];
  for (let i = 0; i < 30; i++) bodies.push(randomBytes(1 + ((i * 37) % 500)));
  for (const body of bodies) {
    const res = await post(body);
    expect(res.status, String(body).slice(0, 60)).toBeGreaterThanOrEqual(400);
    expect(res.status, String(body).slice(0, 60)).toBeLessThan(500);
    const error = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toMatch(/^[a-z_]+$/);
    expect(error.message.length).toBeGreaterThan(5);
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((await t.deps.store.list('tenant-a', 100)).jobs).toEqual([]);
});

test('odd methods, paths and headers are 4xx, never 500', async () => {
  const cases: [string, RequestInit][] = [
    ['/v1/jobs', { method: 'PUT' }],
    ['/v1/jobs', { method: 'DELETE' }],
    ['/v1/jobs/%00', {}],
    ['/v1/jobs/%E0%A4%A', {}],
    ['/v1/jobs/' + 'A'.repeat(10_000), {}],
    ['/v1/jobs?limit=%00', {}],
    ['/v1/jobs?cursor=' + 'Z'.repeat(27), {}],
    ['/executions/%2e%2e/logs', {}],
  ];
  for (const [path, init] of cases) {
    const res = await t.app.request(path, { ...init, headers: { 'x-api-key': KEY_A } });
    expect(res.status, `${init.method ?? 'GET'} ${path.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
    expect(res.status, `${init.method ?? 'GET'} ${path.slice(0, 40)}`).toBeLessThan(500);
  }
  for (const key of ['', ' ', 'x'.repeat(8192), '\u00ff\u00fe']) {
    const res = await t.app.request('/v1/jobs', { headers: { 'x-api-key': key } });
    expect(res.status).toBe(401);
  }
});
