// Exploit corpus: egress attempts (host loopback services, the metadata endpoint, DNS, vsock) all fail.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './sandbox-harness.js';

const sandbox = useSandbox();
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  // Stands in for the API port or Redis on the host's loopback.
  server = createServer((socket) => {
    connections++;
    socket.end('secret\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const tryConnect = (host: string, p: number) => `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.settimeout(1)
try:
    s.connect((${JSON.stringify(host)}, ${p})); print("connected", s.recv(100))
except OSError as e:
    print("blocked", type(e).__name__)
`;

describe.concurrent('network isolation', () => {
  it('has only the loopback interface', async () => {
    const result = await sandbox.run('python', 'import socket; print([n for _, n in socket.if_nameindex()])');
    expect(result.stdout).toBe("['lo']\n");
  });

  it("cannot reach a service on the host's loopback", async () => {
    const result = await sandbox.run('python', tryConnect('127.0.0.1', port));
    expect(result.stdout).toMatch(/^blocked/);
    expect(connections).toBe(0);
  });

  it('cannot reach the cloud metadata endpoint or the internet', async () => {
    const [metadata, internet] = await Promise.all([
      sandbox.run('python', tryConnect('169.254.169.254', 80)),
      sandbox.run('python', tryConnect('1.1.1.1', 443)),
    ]);
    expect(metadata.stdout).toMatch(/^blocked/);
    expect(internet.stdout).toMatch(/^blocked/);
  });

  it('cannot resolve names', async () => {
    const code =
      'import socket\ntry:\n    print(socket.getaddrinfo("example.com", 80))\nexcept OSError as e:\n    print("blocked", type(e).__name__)';
    const result = await sandbox.run('python', code);
    expect(result.stdout).toMatch(/^blocked/);
  });

  it('cannot open AF_VSOCK sockets (seccomp)', async () => {
    const code =
      'import socket\ntry:\n    socket.socket(40, socket.SOCK_STREAM); print("opened")\nexcept OSError as e:\n    print("blocked", e.errno)';
    const result = await sandbox.run('python', code);
    expect(result.stdout).toBe('blocked 1\n');
  });

  it('cannot reach the host from javascript either', async () => {
    const code = `require('node:net').connect(${port}, '127.0.0.1').on('connect', () => console.log('connected')).on('error', (e) => console.log('blocked', e.code));`;
    const result = await sandbox.run('javascript', code);
    expect(result.stdout).toMatch(/^blocked/);
  });
});
