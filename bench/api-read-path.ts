// Requests per second of the API's read paths (what pollers hit), each as a ratio of a static page on the same server.
// Run: npx tsx bench/api-read-path.ts [seconds per route]
import autocannon from 'autocannon';
import { startDevStack } from './support/start-dev.js';

const seconds = Number(process.argv[2] ?? 5);
const headers = { 'x-api-key': 'dev-local-key' };
const stack = await startDevStack();

try {
  // Fill a history page so the list route does real work.
  let jobId = '';
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${stack.url}/v1/jobs`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'python', sourceCode: `print(${i})` }),
    });
    jobId = ((await res.json()) as { jobId: string }).jobId;
  }
  const routes: [string, string][] = [
    ['GET / (static, baseline)', '/'],
    ['GET /health', '/health'],
    ['GET /v1/jobs/:id', `/v1/jobs/${jobId}`],
    ['GET /v1/jobs?limit=20', '/v1/jobs?limit=20'],
  ];
  let baseline = 0;
  console.log(`autocannon, 10 connections, ${seconds} s per route, server in its own process`);
  for (const [name, path] of routes) {
    const result = await autocannon({ url: stack.url + path, connections: 10, duration: seconds, headers });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const rps = result.requests.average;
    baseline ||= rps;
    console.log(
      `${name.padEnd(26)} ${rps.toFixed(0).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  ratio ${(rps / baseline).toFixed(2)}`,
    );
  }
} finally {
  await stack.stop();
}
