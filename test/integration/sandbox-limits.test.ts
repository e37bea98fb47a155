// Every resource limit, tested just under (passes) and just over (fails with the right outcome).
import { describe, expect, it } from 'vitest';
import { TEST_LIMITS, useSandbox } from '../security/sandbox-harness.js';

const sandbox = useSandbox();
const MIB = 1024 * 1024;

describe.concurrent('wall-clock limit', () => {
  it('lets a program finish just under the limit', async () => {
    const result = await sandbox.run('python', 'import time; time.sleep(0.6); print("done")', {
      timeoutMs: 1000,
    });
    expect(result).toMatchObject({ outcome: 'success', stdout: 'done\n' });
  });

  it('kills an infinite loop at the limit', async () => {
    const result = await sandbox.run('python', 'while True: pass', { timeoutMs: 1000 });
    expect(result.outcome).toBe('time_limit_exceeded');
    expect(result.signal).toBe('SIGKILL');
    expect(result.wallTimeMs).toBeGreaterThanOrEqual(1000);
    expect(result.wallTimeMs).toBeLessThan(1600);
    expect(result.cpuTimeMs).toBeGreaterThan(100);
  });

  it('kills a sleeping or stopped program at the limit too (time-limit evasion)', async () => {
    const [sleeping, stopped] = await Promise.all([
      sandbox.run('javascript', 'setTimeout(() => {}, 100000)', { timeoutMs: 800 }),
      sandbox.run('python', 'import os, signal; os.kill(os.getpid(), signal.SIGSTOP)', { timeoutMs: 800 }),
    ]);
    for (const r of [sleeping, stopped]) {
      expect(r.outcome).toBe('time_limit_exceeded');
      expect(r.wallTimeMs).toBeLessThan(1500);
    }
  });
});

describe.concurrent('memory limit', () => {
  it('allows 150 MiB under a 256 MiB limit', async () => {
    const result = await sandbox.run('python', 'b = b"\\x01" * (150 << 20); print(len(b))', {
      memoryMb: 256,
    });
    expect(result).toMatchObject({ outcome: 'success', stdout: `${150 * MIB}\n` });
    expect(result.peakMemoryBytes).toBeGreaterThan(150 * MIB);
    expect(result.peakMemoryBytes).toBeLessThanOrEqual(256 * MIB);
  });

  it('OOM-kills a 1 GiB allocation under 256 MiB and reports it', async () => {
    const [py, js] = await Promise.all([
      sandbox.run('python', 'b = b"\\x01" * (1 << 30); print("survived")', { memoryMb: 256 }),
      sandbox.run('javascript', 'const b = Buffer.alloc(1 << 30, 1); console.log("survived", b.length)', {
        memoryMb: 256,
      }),
    ]);
    for (const r of [py, js]) {
      expect(r.outcome).toBe('memory_limit_exceeded');
      expect(r.stdout).not.toContain('survived');
      expect(r.peakMemoryBytes).toBeGreaterThan(200 * MIB);
      expect(r.peakMemoryBytes).toBeLessThanOrEqual(256 * MIB);
    }
  });
});

describe.concurrent('language heap limits', () => {
  it('reports V8 and JVM heap exhaustion as memory_limit_exceeded', async () => {
    const [js, java] = await Promise.all([
      sandbox.run('javascript', 'const a = []; for (;;) a.push(new Array(1e5).fill(Math.random()))', {
        memoryMb: 128,
        timeoutMs: 10_000,
      }),
      sandbox.run(
        'java',
        'import java.util.*; public class Main { public static void main(String[] x) { List<long[]> l = new ArrayList<>(); for (;;) l.add(new long[1 << 20]); } }',
        { memoryMb: 128, timeoutMs: 10_000 },
      ),
    ]);
    expect(js.outcome).toBe('memory_limit_exceeded');
    expect(java.outcome).toBe('memory_limit_exceeded');
    expect(java.stderr).toContain('OutOfMemoryError');
  });
});

describe.concurrent('cpu limits', () => {
  it('holds a 250 millicore quota: a 1 s busy loop gets about 250 ms of CPU', async () => {
    const result = await sandbox.run(
      'python',
      'import time\nend = time.time() + 1\nwhile time.time() < end: pass',
      { cpuMillicores: 250, timeoutMs: 3000 },
    );
    expect(result.outcome).toBe('success');
    expect(result.cpuTimeMs).toBeGreaterThan(120);
    expect(result.cpuTimeMs).toBeLessThan(400);
  });

  // Needs more than one core on average for the whole run: when other test files load both cores,
  // the wall limit can fire first, so it is retried (later attempts usually run alone).
  it(
    'stops two busy threads at the CPU-time limit (RLIMIT_CPU) before the wall limit',
    { retry: 2 },
    async () => {
      const code = [
        "const { Worker, isMainThread } = require('node:worker_threads');",
        'if (isMainThread) { new Worker(__filename); new Worker(__filename); }',
        'else { for (;;) {} }',
      ].join('\n');
      const result = await sandbox.run('javascript', code, { cpuMillicores: 2000, timeoutMs: 3000 });
      expect(result.outcome).toBe('cpu_time_limit_exceeded');
      // cpuacct and the rlimit clock disagree by a few ms.
      expect(result.cpuTimeMs).toBeGreaterThan(2800);
      expect(result.wallTimeMs).toBeLessThan(3000);
    },
  );

  it('sets RLIMIT_CPU to ceil(timeoutMs / 1000) s soft, one more hard, and reports SIGXCPU', async () => {
    const code = [
      'import resource',
      'soft, hard = resource.getrlimit(resource.RLIMIT_CPU)',
      'print(soft, hard, flush=True)',
      // Lowering the soft limit shows the verdict without depending on how busy the host is.
      'resource.setrlimit(resource.RLIMIT_CPU, (1, hard))',
      'while True: pass',
    ].join('\n');
    const result = await sandbox.run('python', code, { timeoutMs: 2500, cpuMillicores: 1000 });
    expect(result.stdout).toBe('3 4\n');
    expect(result).toMatchObject({ outcome: 'cpu_time_limit_exceeded', signal: 'SIGXCPU' });
  });
});

describe.concurrent('file limits', () => {
  const max = TEST_LIMITS.maxFileBytes;

  it('allows a file of exactly RLIMIT_FSIZE bytes and fails one byte more with EFBIG', async () => {
    const code = [
      'import errno',
      `open("/workspace/ok", "wb").write(b"a" * ${max})`,
      'try:',
      `    f = open("/tmp/big", "wb", buffering=0); f.write(b"a" * ${max}); f.write(b"a")`,
      '    print("wrote")',
      'except OSError as e:',
      '    print(errno.errorcode[e.errno])',
    ].join('\n');
    const result = await sandbox.run('python', code);
    expect(result).toMatchObject({ outcome: 'success', stdout: 'EFBIG\n' });
  });

  it('fills /workspace and /tmp only up to the tmpfs cap (ENOSPC)', async () => {
    const code = [
      'import errno',
      'for d in ("/workspace", "/tmp", "/dev/shm"):',
      '    n = 0',
      '    try:',
      '        for i in range(10):',
      '            with open(f"{d}/f{i}", "wb") as f: f.write(b"a" * (3 << 20))',
      '            n += 1',
      '        print(d, n, "no error")',
      '    except OSError as e:',
      '        print(d, n, errno.errorcode[e.errno])',
    ].join('\n');
    const result = await sandbox.run('python', code);
    // 8 MiB tmpfs: two 3 MiB files fit, the third does not.
    expect(result.stdout).toBe('/workspace 2 ENOSPC\n/tmp 2 ENOSPC\n/dev/shm 2 ENOSPC\n');
  });

  it('caps open files (RLIMIT_NOFILE)', async () => {
    const code =
      'import errno\nfs = []\ntry:\n    while True: fs.append(open("/dev/null"))\nexcept OSError as e:\n    print(len(fs), errno.errorcode[e.errno])';
    const result = await sandbox.run('python', code);
    const [count, code_] = result.stdout.trim().split(' ');
    expect(code_).toBe('EMFILE');
    expect(Number(count)).toBeLessThan(TEST_LIMITS.maxOpenFiles);
    expect(Number(count)).toBeGreaterThan(TEST_LIMITS.maxOpenFiles - 10);
  });
});

describe.concurrent('process limit', () => {
  it('allows threads up to pids.max and refuses the next one', async () => {
    const code = [
      'import threading, time',
      'ev = threading.Event(); n = 0',
      'try:',
      '    while True:',
      '        threading.Thread(target=ev.wait, daemon=True).start(); n += 1',
      'except RuntimeError:',
      '    print(n)',
      'ev.set()',
    ].join('\n');
    const result = await sandbox.run('python', code);
    expect(result.outcome).toBe('success');
    // bwrap's monitor and init and the interpreter itself take three of the slots.
    expect(Number(result.stdout)).toBe(TEST_LIMITS.maxProcesses - 3);
    expect(result.peakProcesses).toBe(TEST_LIMITS.maxProcesses);
  });
});

describe.concurrent('output limit', () => {
  const cap = TEST_LIMITS.maxStdioBytes;

  it('keeps exactly the cap without truncating', async () => {
    const result = await sandbox.run('python', `import sys; sys.stdout.write("x" * ${cap})`);
    expect(result).toMatchObject({ outcome: 'success', stdoutTruncated: false });
    expect(result.stdout.length).toBe(cap);
  });

  it('kills the job one byte over the cap', async () => {
    const result = await sandbox.run('python', `import sys; sys.stdout.write("x" * ${cap + 1})`);
    expect(result).toMatchObject({ outcome: 'output_limit_exceeded', stdoutTruncated: true });
    expect(result.stdout.length).toBe(cap);
  });

  it('stops floods on stdout and stderr without growing the worker', async () => {
    const before = process.memoryUsage().rss;
    const [yes, printLoop, stderrFlood] = await Promise.all([
      sandbox.run('python', 'import os; os.execv("/usr/bin/yes", ["yes"])'),
      sandbox.run('python', 'while True: print("flood" * 100)'),
      sandbox.run('javascript', 'const s = "e".repeat(1 << 20); for (;;) process.stderr.write(s)'),
    ]);
    for (const r of [yes, printLoop]) {
      expect(r).toMatchObject({ outcome: 'output_limit_exceeded', stdoutTruncated: true });
      expect(r.stdout.length).toBe(cap);
    }
    expect(stderrFlood).toMatchObject({ outcome: 'output_limit_exceeded', stderrTruncated: true });
    expect(stderrFlood.stderr.length).toBe(cap);
    expect(yes.wallTimeMs).toBeLessThan(1000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MIB);
  });

  it('stores invalid UTF-8 as U+FFFD and keeps multibyte characters whole', async () => {
    const code =
      'import sys, time\nsys.stdout.buffer.write(b"ok \\xff\\xfe end\\n"); sys.stdout.flush()\n' +
      'for b in "é€😀".encode(): sys.stdout.buffer.write(bytes([b])); sys.stdout.flush(); time.sleep(0.002)';
    const result = await sandbox.run('python', code);
    expect(result.stdout).toBe('ok \uFFFD\uFFFD end\né€😀');
  });
});
