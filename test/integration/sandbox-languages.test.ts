// The sandbox runs each language end to end: output, stdin, exit codes, Java compile errors, parallel jobs, cleanup.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEST_WORK_DIR, useSandbox } from '../security/sandbox-harness.js';

const sandbox = useSandbox();

describe.concurrent('sandbox languages', () => {
  it('runs the seed Java example within its own compile budget (3 s, 256 MiB, 256 millicores)', async () => {
    const result = await sandbox.run(
      'java',
      'public class Main { public static void main(String[] args) { System.out.println("hello"); } }',
      {
        timeoutMs: 3000,
        memoryMb: 256,
        cpuMillicores: 256,
      },
    );
    expect(result).toMatchObject({ outcome: 'success', exitCode: 0, stdout: 'hello\n', stderr: '' });
    expect(result.compile).toMatchObject({ exitCode: 0 });
    expect(result.wallTimeMs).toBeLessThan(2000);
  });

  it('runs python and javascript hello world', async () => {
    const [py, js] = await Promise.all([
      sandbox.run('python', 'print("hello")'),
      sandbox.run('javascript', 'console.log("hello")'),
    ]);
    expect(py).toMatchObject({
      outcome: 'success',
      exitCode: 0,
      signal: null,
      stdout: 'hello\n',
      stdoutTruncated: false,
    });
    expect(js).toMatchObject({ outcome: 'success', exitCode: 0, stdout: 'hello\n' });
    expect(py.compile).toBeUndefined();
    for (const r of [py, js]) {
      expect(r.cpuTimeMs).toBeGreaterThan(0);
      expect(r.peakMemoryBytes).toBeGreaterThan(0);
      expect(r.peakProcesses).toBeGreaterThanOrEqual(1);
    }
  });

  it('feeds stdin to every language', async () => {
    const stdin = 'line one\nzwei – ünïcode ✓\n';
    const results = await Promise.all([
      sandbox.run('python', 'import sys; sys.stdout.write(sys.stdin.read())', { stdin }),
      sandbox.run('javascript', 'process.stdin.pipe(process.stdout)', { stdin }),
      sandbox.run(
        'java',
        'public class Echo { public static void main(String[] a) throws Exception { System.out.write(System.in.readAllBytes()); System.out.flush(); } }',
        { stdin },
      ),
    ]);
    for (const r of results) expect(r).toMatchObject({ outcome: 'success', stdout: stdin });
  });

  it('survives a program that exits without reading a large stdin (EPIPE)', async () => {
    const result = await sandbox.run('python', 'print("bye")', { stdin: 'x'.repeat(2_000_000) });
    expect(result).toMatchObject({ outcome: 'success', stdout: 'bye\n' });
  });

  it('reports a Java compile error with the compiler output', async () => {
    const result = await sandbox.run(
      'java',
      'public class Main { public static void main(String[] a) { int x = "nope"; } }',
    );
    expect(result.outcome).toBe('compile_error');
    expect(result.compile?.exitCode).not.toBe(0);
    expect(result.compile?.stderr).toMatch(/incompatible types/);
    expect(result.exitCode).toBeNull();
    expect(result.stdout).toBe('');
  });

  it('reports a non-zero exit as runtime_error with the exit code', async () => {
    const [py, js, java] = await Promise.all([
      sandbox.run('python', 'import sys; print("out"); sys.exit(3)'),
      sandbox.run('javascript', 'throw new Error("boom")'),
      sandbox.run('java', 'public class Main { public static void main(String[] a) { System.exit(42); } }'),
    ]);
    expect(py).toMatchObject({ outcome: 'runtime_error', exitCode: 3, signal: null, stdout: 'out\n' });
    expect(js).toMatchObject({ outcome: 'runtime_error', exitCode: 1 });
    expect(js.stderr).toContain('boom');
    expect(java).toMatchObject({ outcome: 'runtime_error', exitCode: 42 });
  });

  it('reports death by signal as runtime_error with the signal name', async () => {
    const result = await sandbox.run('python', 'import os, signal; os.kill(os.getpid(), signal.SIGSEGV)');
    expect(result).toMatchObject({ outcome: 'runtime_error', exitCode: null, signal: 'SIGSEGV' });
  });

  it('names a signal by its usual name, not an alias (SIGABRT, not SIGIOT)', async () => {
    const result = await sandbox.run('python', 'import os; os.abort()');
    expect(result).toMatchObject({ outcome: 'runtime_error', exitCode: null, signal: 'SIGABRT' });
  });

  it('names the Java file after the public class', async () => {
    const result = await sandbox.run(
      'java',
      'import java.util.*;\npublic final class Solution { public static void main(String[] a) { System.out.println(List.of(1, 2)); } }',
    );
    expect(result).toMatchObject({ outcome: 'success', stdout: '[1, 2]\n' });
  });

  it('passes a source bigger than a pipe buffer to the one-phase languages', async () => {
    // ~200 kB: bwrap reads it through a pipe during setup, so the worker must write it asynchronously.
    const padding = `# ${'x'.repeat(98)}\n`.repeat(2000);
    const pythonSource = `${padding}print(len(open("/code/main.py").read()))`;
    const [python, javascript] = await Promise.all([
      sandbox.run('python', pythonSource),
      sandbox.run(
        'javascript',
        `${padding.replaceAll('#', '//')}console.log(require("fs").readFileSync("/code/main.js").length)`,
      ),
    ]);
    expect(python).toMatchObject({ outcome: 'success', stdout: `${pythonSource.length}\n` });
    expect(javascript).toMatchObject({ outcome: 'success' });
    expect(Number(javascript.stdout)).toBeGreaterThan(200_000);
  });

  it('gives one-phase jobs a read-only source, a private /workspace and no extra fds', async () => {
    const code = [
      'import os',
      'st = os.stat("/workspace")',
      'print(oct(st.st_mode & 0o777), st.st_uid, oct(os.stat("/code/main.py").st_mode & 0o777))',
      'for op in (lambda: open("/code/main.py", "a"), lambda: os.chmod("/code/main.py", 0o777), lambda: os.rename("/code/main.py", "/code/x")):',
      '    try: op(); print("allowed")',
      '    except OSError as e: print(e.errno in (1, 13, 30))',
      'print(sorted(int(fd) for fd in os.listdir("/proc/self/fd")))',
    ].join('\n');
    const result = await sandbox.run('python', code);
    // The listing itself holds one fd (3); bwrap's seccomp, status and source fds are not inherited.
    // Fds this test process inherited without O_CLOEXEC pass through too (see docs/security.md).
    const inherited = readdirSync('/proc/self/fd')
      .map(Number)
      .filter((fd) => fd > 3)
      .filter((fd) => {
        try {
          const flags = /flags:\s+(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1] ?? '0';
          return (parseInt(flags, 8) & 0o2000000) === 0;
        } catch {
          return false;
        }
      });
    expect(result.stdout).toBe(
      `0o700 65534 0o444\nTrue\nTrue\nTrue\n[${[0, 1, 2, 3, ...inherited].sort((a, b) => a - b).join(', ')}]\n`,
    );
  });

  it('runs many jobs in parallel without mixing them up', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sandbox.run('python', `print(${i} * 7)`)),
    );
    results.forEach((r, i) => expect(r).toMatchObject({ outcome: 'success', stdout: `${i * 7}\n` }));
  });
});

describe('sandbox cleanup', () => {
  it('leaves no job directory, mount or cgroup behind', async () => {
    await sandbox.run('python', 'open("/workspace/x", "w").write("x")');
    await sandbox.run('java', 'public class Main { public static void main(String[] a) { } }');
    // Other test files share the work dir and subtree, but each sandbox instance has its own level.
    const id = sandbox.sandbox.instanceId;
    expect(readdirSync(`${TEST_WORK_DIR}/${id}`)).toEqual(['seccomp.bpf']);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(`${TEST_WORK_DIR}/${id}/`);
    for (const controller of ['memory', 'pids', 'cpu', 'cpuacct']) {
      const level = `/sys/fs/cgroup/${controller}/ccee-test/${id}`;
      expect(readdirSync(level, { withFileTypes: true }).filter((e) => e.isDirectory())).toEqual([]);
    }
  });
});
