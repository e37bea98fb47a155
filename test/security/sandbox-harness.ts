// Shared helpers for sandbox tests: one real BwrapSandbox per test file, with small limits so boundaries are quick to reach.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import type { Language } from '../../core/languages.js';
import type { ExecutionRequest, ExecutionResult } from '../../core/model/execution-result.js';
import { BwrapSandbox, type SandboxOptions } from '../../containers/runner/bwrap-sandbox.js';

export const TEST_LIMITS = {
  maxStdioBytes: 65_536,
  compileTimeoutMs: 15_000,
  tmpfsMb: 8,
  maxProcesses: 32,
  maxFileBytes: 4 * 1024 * 1024,
  maxOpenFiles: 64,
} satisfies Partial<SandboxOptions>;

export const TEST_WORK_DIR = '/run/ccee-test';

export interface SandboxHandle {
  run(
    language: Language,
    sourceCode: string,
    overrides?: Partial<ExecutionRequest>,
  ): Promise<ExecutionResult>;
  readonly sandbox: BwrapSandbox;
}

/** Registers beforeAll/afterAll creating one sandbox for the file; options override {@link TEST_LIMITS}. */
export function useSandbox(options: Partial<SandboxOptions> = {}): SandboxHandle {
  let sandbox: BwrapSandbox | undefined;
  beforeAll(async () => {
    sandbox = await BwrapSandbox.create({
      workDir: TEST_WORK_DIR,
      cgroupName: 'ccee-test',
      ...TEST_LIMITS,
      ...options,
    });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  return {
    get sandbox() {
      if (!sandbox) throw new Error('sandbox not created yet');
      return sandbox;
    },
    run(language, sourceCode, overrides = {}) {
      if (!sandbox) throw new Error('sandbox not created yet');
      return sandbox.run({
        jobId: `test-${randomBytes(4).toString('hex')}`,
        language,
        sourceCode,
        stdin: '',
        timeoutMs: 3000,
        memoryMb: 256,
        cpuMillicores: 1000,
        ...overrides,
      });
    },
  };
}

/** A token no other process on the host carries, to find a job's leftovers by name or argv. */
export function uniqueMarker(prefix = 'cc'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** Host pids whose comm or cmdline contains `marker` (processes of any job, any uid). */
export function hostProcessesMatching(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (comm.includes(marker) || cmdline.includes(marker)) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Python prelude that renames the process (and its future children) so the host can find them. */
export function pythonSetComm(marker: string): string {
  return `import ctypes\nctypes.CDLL(None).prctl(15, ${JSON.stringify(marker)}.encode(), 0, 0, 0)\n`;
}
