// Measures what the sandbox adds per job: median wall time of a hello world, bare interpreter vs BwrapSandbox.run().
// Run as root: npx tsx bench/sandbox-overhead.ts [iterations]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { BwrapSandbox } from '../containers/runner/bwrap-sandbox.js';
import type { Language } from '../core/languages.js';

const iterations = Number(process.argv[2] ?? 30);
const run = promisify(execFile);

const programs: { language: Language; file: string; source: string; bare: string[] }[] = [
  { language: 'python', file: 'main.py', source: 'print("hello")', bare: ['/usr/bin/python3', '-I'] },
  { language: 'javascript', file: 'main.js', source: 'console.log("hello")', bare: ['/usr/bin/node'] },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm the page cache
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

const dir = mkdtempSync(`${tmpdir()}/ccee-bench-`);
const sandbox = await BwrapSandbox.create({ workDir: '/run/ccee-bench', cgroupName: 'ccee-bench' });
try {
  console.log(`median of ${iterations} sequential runs`);
  for (const program of programs) {
    const path = `${dir}/${program.file}`;
    writeFileSync(path, program.source);
    const [command, ...args] = program.bare;
    // A clean env: tsx puts its loader into NODE_OPTIONS, which would slow the bare node down.
    const bare = median(await time(() => run(command!, [...args, path], { env: { PATH: '/usr/bin:/bin' } })));
    const sandboxed = median(
      await time(async () => {
        const result = await sandbox.run({
          jobId: 'bench',
          language: program.language,
          sourceCode: program.source,
          stdin: '',
          timeoutMs: 5000,
          memoryMb: 256,
          cpuMillicores: 1000,
        });
        if (result.outcome !== 'success') throw new Error(`sandboxed run failed: ${result.outcome}`);
      }),
    );
    console.log(
      `${program.language.padEnd(10)} bare ${bare.toFixed(1)} ms  sandboxed ${sandboxed.toFixed(1)} ms  ` +
        `overhead +${(sandboxed - bare).toFixed(1)} ms  ratio ${(sandboxed / bare).toFixed(2)}x`,
    );
  }
} finally {
  await sandbox.close();
  rmdirSync('/run/ccee-bench');
  rmSync(dir, { recursive: true, force: true });
}
