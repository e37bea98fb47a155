// Exploit corpus: processes that try to outlive the job (setsid, double fork, SIGHUP ignored) or to kill the host's.
import { describe, expect, it } from 'vitest';
import { hostProcessesMatching, pythonSetComm, uniqueMarker, useSandbox } from './sandbox-harness.js';

const sandbox = useSandbox();

describe.concurrent('processes outliving the job', () => {
  it('kills `setsid sleep 1000 &` when the program exits', async () => {
    // The fraction makes the sleep's argv unique on the host.
    const token = `0.${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const code = `import subprocess; subprocess.Popen(["/bin/sh", "-c", "setsid sleep 1000 ${token} &"]); print("started")`;
    const result = await sandbox.run('python', code);
    expect(result).toMatchObject({ outcome: 'success', stdout: 'started\n' });
    expect(result.wallTimeMs).toBeLessThan(2000);
    expect(hostProcessesMatching(token)).toEqual([]);
  });

  it('kills a double-forked daemon that ignores SIGHUP and closed its stdio', async () => {
    const marker = uniqueMarker('dd');
    const code =
      pythonSetComm(marker) +
      [
        'import os, signal, time',
        'if os.fork() == 0:',
        '    os.setsid()',
        '    if os.fork() == 0:',
        '        signal.signal(signal.SIGHUP, signal.SIG_IGN)',
        '        for fd in (0, 1, 2): os.close(fd)',
        '        time.sleep(1000)',
        '    os._exit(0)',
        'time.sleep(0.2)',
        'print("parent done")',
      ].join('\n');
    const result = await sandbox.run('python', code);
    expect(result).toMatchObject({ outcome: 'success', stdout: 'parent done\n' });
    expect(hostProcessesMatching(marker)).toEqual([]);
  });

  it('kills a tree that keeps running until the wall limit', async () => {
    const marker = uniqueMarker('tr');
    const code =
      pythonSetComm(marker) + 'import os, time\nfor _ in range(3):\n    os.fork()\ntime.sleep(1000)';
    const result = await sandbox.run('python', code, { timeoutMs: 700 });
    expect(result.outcome).toBe('time_limit_exceeded');
    expect(hostProcessesMatching(marker)).toEqual([]);
  });
});

describe('kill -9 -1', () => {
  it('only kills the sandbox itself; the host and the next job are fine', async () => {
    const result = await sandbox.run('python', 'import os; os.kill(-1, 9); print("after")');
    expect(result.outcome).toBe('runtime_error');
    expect(process.pid).toBeGreaterThan(0);
    const next = await sandbox.run('python', 'print("still here")');
    expect(next).toMatchObject({ outcome: 'success', stdout: 'still here\n' });
  });
});
