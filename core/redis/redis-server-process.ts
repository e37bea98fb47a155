// Starts a private redis-server on a free loopback port: the embedded default of `npm run dev` and the tests' Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { makeDirs } from '../make-dirs.js';
import net from 'node:net';

export interface RedisServerProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Folder for the AOF and RDB files; omit for a memory-only server (tests). */
  dataDir?: string;
  /** @defaultValue a free port chosen by the kernel */
  port?: number;
}

/** Ask the kernel for a free port by binding to port 0 and closing again. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start `redis-server` bound to 127.0.0.1 and wait until it accepts connections.
 * @example const redis = await startRedisServer({ dataDir: '.dev/redis' }); ... await redis.stop();
 */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<RedisServerProcess> {
  const port = options.port ?? (await findFreePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes'];
  // BullMQ must never lose keys to eviction.
  args.push('--maxmemory-policy', 'noeviction', '--save', '');
  if (options.dataDir) {
    makeDirs(options.dataDir);
    args.push('--dir', options.dataDir, '--appendonly', 'yes', '--appendfsync', 'everysec');
  } else {
    args.push('--appendonly', 'no');
  }
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < 8192) output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await waitUntilReady(child, port, () => output);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => stopChild(child),
  };
}

async function waitUntilReady(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('redis-server is not installed. Install it with: apt-get install -y redis-server')
          : error,
      ),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}:\n${output()}`)));
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const ready = await Promise.race([ping(port), spawnError]);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not accept connections on port ${port} within 10 s:\n${output()}`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
