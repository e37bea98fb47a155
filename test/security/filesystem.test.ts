// Exploit corpus: read-only root, no persistence between jobs, planted symlinks never followed by the runner.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEST_WORK_DIR, useSandbox } from './sandbox-harness.js';

const sandbox = useSandbox();

const tryWrite = (paths: string[]) => `
import errno
for p in ${JSON.stringify(paths)}:
    try:
        open(p, "w").write("x"); print(p, "written")
    except OSError as e:
        print(p, errno.errorcode[e.errno])
`;

function fingerprint(path: string): string {
  const st = statSync(path);
  const content = st.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : '';
  return `${st.mode} ${st.uid} ${st.gid} ${st.mtimeMs} ${st.size} ${content}`;
}

describe.concurrent('filesystem isolation', () => {
  it('refuses writes outside /tmp, /workspace and /dev/shm', async () => {
    const outside = [
      '/etc/passwd',
      '/etc/evil',
      '/usr/bin/evil',
      '/evil',
      '/code/evil',
      '/proc/sys/kernel/hostname',
      '/var/tmp/evil',
    ];
    const result = await sandbox.run(
      'python',
      tryWrite([...outside, '/tmp/ok', '/workspace/ok', '/dev/shm/ok']),
    );
    const lines = result.stdout.trim().split('\n');
    for (const line of lines.slice(0, outside.length)) expect(line).toMatch(/ (EROFS|EACCES|ENOENT|EPERM)$/);
    expect(lines.slice(outside.length)).toEqual([
      '/tmp/ok written',
      '/workspace/ok written',
      '/dev/shm/ok written',
    ]);
  });

  it('cannot read host secrets', async () => {
    const code =
      tryWrite([]) +
      'import os\nfor p in ["/etc/shadow", "/root", "/run/ccee-test", "/home"]:\n    print(p, os.path.exists(p))';
    const result = await sandbox.run('python', code);
    expect(result.stdout).toBe('/etc/shadow False\n/root False\n/run/ccee-test False\n/home False\n');
  });

  it('keeps nothing between jobs (/tmp, /dev/shm, /workspace)', async () => {
    const places = ['/tmp/persist', '/dev/shm/persist', '/workspace/persist'];
    const first = await sandbox.run(
      'python',
      `for p in ${JSON.stringify(places)}: open(p, "w").write("left behind")\nprint("ok")`,
    );
    expect(first.stdout).toBe('ok\n');
    const second = await sandbox.run(
      'python',
      `import os\nprint([os.path.exists(p) for p in ${JSON.stringify(places)}])`,
    );
    expect(second.stdout).toBe('[False, False, False]\n');
  });

  it('does not follow symlinks planted in the workspace during cleanup', async () => {
    // A host dir and file standing in for anything root could be tricked into chowning or deleting.
    const canaryDir = `${TEST_WORK_DIR}-canary`;
    mkdirSync(canaryDir, { recursive: true, mode: 0o700 });
    writeFileSync(`${canaryDir}/file`, 'canary', { mode: 0o600 });
    const watched = ['/etc/shadow', '/etc/passwd', canaryDir, `${canaryDir}/file`];
    const before = watched.map(fingerprint);
    // Links under names the runner might touch (its own dirs and files) and to host paths.
    const targets = {
      shadow: '/etc/shadow',
      passwd: '/etc/passwd',
      canary: canaryDir,
      canaryfile: `${canaryDir}/file`,
      workdir: TEST_WORK_DIR,
      src: '/code',
      work: '/workspace',
      'Main.class': '/etc/shadow',
      'main.py': '/etc/shadow',
      tmp: '/tmp',
    };
    const code = [
      'import os',
      `targets = ${JSON.stringify(targets)}`,
      'for name, target in targets.items():',
      '    for d in ("/workspace", "/tmp", "/dev/shm"):',
      '        try: os.symlink(target, f"{d}/{name}")',
      '        except OSError: pass',
      'os.mkdir("/workspace/sub"); os.symlink("/etc", "/workspace/sub/etc")',
      'print("planted")',
    ].join('\n');
    const result = await sandbox.run('python', code);
    expect(result.stdout).toBe('planted\n');
    const java = await sandbox.run(
      'java',
      'public class Main { public static void main(String[] a) throws Exception { java.nio.file.Files.createSymbolicLink(java.nio.file.Path.of("/workspace/Main.class.bak"), java.nio.file.Path.of("/etc/shadow")); System.out.println("ok"); } }',
    );
    expect(java.stdout).toBe('ok\n');
    expect(watched.map(fingerprint)).toEqual(before);
    expect(statSync(TEST_WORK_DIR).mode & 0o777).toBe(0o711);
    expect(statSync(TEST_WORK_DIR).uid).toBe(0);
    rmSync(canaryDir, { recursive: true });
  });
});
