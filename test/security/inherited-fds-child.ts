// Child process for inherited-fds.test.ts: creates a sandbox in a process started with an extra open fd,
// runs a program that lists its own fds, and prints them as JSON.
import { BwrapSandbox } from '../../containers/runner/bwrap-sandbox.js';

const [cgroupName, workDir] = process.argv.slice(2);
if (!cgroupName || !workDir) throw new Error('usage: inherited-fds-child.ts <cgroupName> <workDir>');
const sandbox = await BwrapSandbox.create({ cgroupName, workDir });
try {
  const result = await sandbox.run({
    jobId: 'fds',
    language: 'python',
    sourceCode: 'import os, json\nprint(json.dumps(sorted(int(f) for f in os.listdir("/proc/self/fd"))))',
    stdin: '',
    timeoutMs: 5000,
    memoryMb: 128,
    cpuMillicores: 1000,
  });
  console.log(result.stdout.trim());
} finally {
  await sandbox.close();
}
