// Child process for sandbox-crash.test.ts: a "worker" that starts long jobs and is then SIGKILLed mid-job.
// Usage: node --import tsx test/integration/sandbox-crash-child.ts <cgroupName> <workDir> <marker>
import { BwrapSandbox } from '../../containers/runner/bwrap-sandbox.js';

const [cgroupName, workDir, marker] = process.argv.slice(2);
if (!cgroupName || !workDir || !marker || !/^[a-z][a-z0-9]+$/.test(marker))
  throw new Error('usage: sandbox-crash-child.ts <cgroupName> <workDir> <marker>');

const sandbox = await BwrapSandbox.create({ cgroupName, workDir, tmpfsMb: 8, maxProcesses: 32 });
console.log(JSON.stringify({ instanceId: sandbox.instanceId }));

const job = { stdin: '', timeoutMs: 120_000, memoryMb: 256, cpuMillicores: 1000 };
// A Python job (no host workspace) renamed to the marker, and a Java job (host tmpfs workspace) whose
// class name carries it, both sleeping far longer than the test.
void sandbox.run({
  ...job,
  jobId: 'crash-python',
  language: 'python',
  sourceCode: `import ctypes, time\nctypes.CDLL(None).prctl(15, b"${marker}", 0, 0, 0)\ntime.sleep(1000)`,
});
void sandbox.run({
  ...job,
  jobId: 'crash-java',
  language: 'java',
  sourceCode: `public class S${marker} { public static void main(String[] a) throws Exception { Thread.sleep(1_000_000); } }`,
});
