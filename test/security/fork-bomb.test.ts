// Exploit corpus: fork and thread bombs are capped by pids.max, leave no survivors, and do not stall the host.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  hostProcessesMatching,
  pythonSetComm,
  TEST_LIMITS,
  uniqueMarker,
  useSandbox,
} from './sandbox-harness.js';

const sandbox = useSandbox();

/** Host stays usable: spawning a process on the host during the bomb takes well under a second. */
async function hostLatencyMs(): Promise<number> {
  const started = performance.now();
  await promisify(execFile)('/bin/true');
  return performance.now() - started;
}

describe.concurrent('fork bombs', () => {
  it('contains a python fork bomb', async () => {
    const marker = uniqueMarker('fb');
    const code =
      pythonSetComm(marker) + 'import os\nwhile True:\n    try: os.fork()\n    except OSError: pass';
    const job = sandbox.run('python', code, { timeoutMs: 1500 });
    await new Promise((r) => setTimeout(r, 700));
    expect(await hostLatencyMs()).toBeLessThan(1000);
    const result = await job;
    expect(result.outcome).toBe('time_limit_exceeded');
    expect(result.peakProcesses).toBeLessThanOrEqual(TEST_LIMITS.maxProcesses);
    expect(hostProcessesMatching(marker)).toEqual([]);
  });

  it('contains a shell fork bomb started from a renamed /bin/sh', async () => {
    const marker = uniqueMarker('sb');
    // A copy of sh under a unique name, so its processes can be found on the host afterwards.
    const code = [
      'import os, shutil',
      `shutil.copy("/usr/bin/dash", "/tmp/${marker}")`,
      `os.execv("/tmp/${marker}", ["${marker}", "-c", "b() { b | b & }; b"])`,
    ].join('\n');
    const result = await sandbox.run('python', code, { timeoutMs: 1500 });
    expect(['time_limit_exceeded', 'success', 'runtime_error']).toContain(result.outcome);
    expect(result.peakProcesses).toBeLessThanOrEqual(TEST_LIMITS.maxProcesses);
    expect(hostProcessesMatching(marker)).toEqual([]);
  });

  it('caps a java thread bomb', async () => {
    const code = `public class Main { public static void main(String[] a) {
      int n = 0;
      try { while (true) { Thread t = new Thread(() -> { try { Thread.sleep(100000); } catch (Exception e) {} }); t.setDaemon(true); t.start(); n++; } }
      catch (Throwable e) { System.out.println("capped " + n); }
    } }`;
    const result = await sandbox.run('java', code, { timeoutMs: 3000 });
    expect(result.stdout).toMatch(/^capped \d+$/m);
    expect(result.peakProcesses).toBeLessThanOrEqual(TEST_LIMITS.maxProcesses);
  });
});
