// Maps a language to its source file name and the compile/run commands inside the sandbox.
import type { Language } from '../../core/languages.js';
import type { SourceFile } from './workspace.js';

export interface LanguagePlan {
  source: SourceFile;
  /** javac for Java; absent for interpreted languages. */
  compile?: readonly string[];
  run: readonly string[];
}

export interface PlanLimits {
  memoryBytes: number;
  cpuMillicores: number;
}

/** Host toolchain binaries, by absolute path so no shim (pyenv, nvm) on the worker's PATH is used. */
export const TOOLCHAINS: Readonly<Record<Language, readonly string[]>> = Object.freeze({
  javascript: ['/usr/bin/node'],
  python: ['/usr/bin/python3'],
  java: ['/usr/bin/javac', '/usr/bin/java'],
});

const PUBLIC_CLASS = /\bpublic\s+(?:(?:final|abstract|strictfp)\s+)*class\s+([A-Za-z_$][A-Za-z0-9_$]*)/;

/** javac insists the file is named after the public class; default Main. */
export function javaClassName(source: string): string {
  return PUBLIC_CLASS.exec(source)?.[1] ?? 'Main';
}

/** The JVM cannot see the cgroup inside bwrap (no /sys), so it is told the limits. */
function jvmFlags(limits: PlanLimits): string[] {
  return [
    `-XX:MaxRAM=${limits.memoryBytes}`,
    `-XX:ActiveProcessorCount=${Math.max(1, Math.ceil(limits.cpuMillicores / 1000))}`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Xshare:auto',
    // hsperfdata would be a file in /tmp per JVM; nothing reads it here.
    '-XX:-UsePerfData',
  ];
}

export function languagePlan(
  language: Language,
  sourceCode: string,
  compileLimits: PlanLimits,
  runLimits: PlanLimits,
): LanguagePlan {
  switch (language) {
    case 'javascript': {
      // Leave room under the cgroup limit for code, stacks and buffers, so V8 collects before the OOM killer acts.
      const heapMb = Math.max(16, Math.floor((runLimits.memoryBytes / 1024 / 1024) * 0.75));
      return {
        source: { name: 'main.js', content: sourceCode },
        run: ['/usr/bin/node', `--max-old-space-size=${heapMb}`, '/code/main.js'],
      };
    }
    case 'python':
      return {
        source: { name: 'main.py', content: sourceCode },
        // -I: ignore PYTHON* variables and the user site dir; the code dir is read-only anyway.
        run: ['/usr/bin/python3', '-I', '/code/main.py'],
      };
    case 'java': {
      const className = javaClassName(sourceCode);
      return {
        source: { name: `${className}.java`, content: sourceCode },
        // -proc:none: no annotation processors, so no submitted code runs inside the compiler.
        compile: [
          '/usr/bin/javac',
          ...jvmFlags(compileLimits).map((flag) => `-J${flag}`),
          '-proc:none',
          '-encoding',
          'UTF-8',
          '-d',
          '/workspace',
          `/code/${className}.java`,
        ],
        run: ['/usr/bin/java', ...jvmFlags(runLimits), '-cp', '/workspace', className],
      };
    }
  }
}
