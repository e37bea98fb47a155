// makeDirs creates missing parents and fails fast where Node's recursive mkdir would spin forever.
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, expect, test } from 'vitest';
import { makeDirs } from '../../core/make-dirs.js';

const dir = mkdtempSync(`${tmpdir()}/make-dirs-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('creates every missing level and accepts existing ones', () => {
  makeDirs(`${dir}/a/b/c`);
  makeDirs(`${dir}/a/b/c`);
  expect(existsSync(`${dir}/a/b/c`)).toBe(true);
});

test('fails at once under /proc, a dangling symlink or a file', () => {
  expect(() => makeDirs('/proc/ccee-cannot-exist/x')).toThrow(/ENOENT/);
  symlinkSync(`${dir}/nowhere`, `${dir}/dangling`);
  expect(() => makeDirs(`${dir}/dangling/x`)).toThrow(/ENOENT/);
  writeFileSync(`${dir}/file`, '');
  expect(() => makeDirs(`${dir}/file/x`)).toThrow(/ENOTDIR/);
});
