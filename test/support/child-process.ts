// Starts a program the way a person would from a shell, collecting its output and exit code for assertions.
import { spawn } from 'node:child_process';

export const TSX = 'node_modules/.bin/tsx';

export function startProcess(command: string, args: string[], env: Record<string, string | undefined>) {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}
