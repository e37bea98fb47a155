// Exploit corpus: the seccomp allow-list refuses the dangerous syscalls with EPERM and clone3 with ENOSYS.
import { describe, expect, it } from 'vitest';
import { useSandbox } from './sandbox-harness.js';

const sandbox = useSandbox();

/** x86_64 numbers; arguments are harmless values that would succeed or fail differently if allowed. */
const DENIED: Record<string, string> = {
  unshare: '272, 0x10000000',
  ptrace: '101, 16, 1, 0, 0', // PTRACE_ATTACH to pid 1
  bpf: '321, 0, 0, 0',
  io_uring_setup: '425, 8, 0',
  userfaultfd: '323, 0',
  mount: '165, b"none", b"/tmp", b"tmpfs", 0, 0',
  keyctl: '250, 0, 0, 0, 0, 0',
  add_key: '248, b"user", b"k", b"v", 1, -2',
  perf_event_open: '298, 0, 0, -1, -1, 0',
  setns: '308, 0, 0',
  chroot: '161, b"/tmp"',
  pivot_root: '155, b"/tmp", b"/tmp"',
  process_vm_readv: '310, 1, 0, 0, 0, 0, 0',
  kexec_load: '246, 0, 0, 0, 0',
  init_module: '175, 0, 0, b""',
  clone_newuser: '56, 0x10000000 | 17, 0, 0, 0, 0',
};

const probe = `
import ctypes, json
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
results = {}
def call(name, *args):
    ctypes.set_errno(0)
    rc = libc.syscall(*[ctypes.c_long(a) if isinstance(a, int) else ctypes.c_char_p(a) for a in args])
    results[name] = [rc, ctypes.get_errno()]
${Object.entries(DENIED)
  .map(([name, args]) => `call(${JSON.stringify(name)}, ${args})`)
  .join('\n')}
call("clone3", 435, 0, 0)
print(json.dumps(results))
`;

describe('seccomp', () => {
  it('returns EPERM for every denied syscall and ENOSYS for clone3', async () => {
    const result = await sandbox.run('python', probe);
    expect(result.outcome).toBe('success');
    const results = JSON.parse(result.stdout) as Record<string, [number, number]>;
    for (const name of Object.keys(DENIED)) expect([name, results[name]]).toEqual([name, [-1, 1]]);
    expect(results.clone3).toEqual([-1, 38]);
  });

  it('still allows what ordinary programs need (threads, subprocesses, pipes)', async () => {
    const code =
      'import subprocess, threading\nt = threading.Thread(target=lambda: None); t.start(); t.join()\nprint(subprocess.run(["/bin/echo", "ok"], capture_output=True).stdout.decode(), end="")';
    const result = await sandbox.run('python', code);
    expect(result).toMatchObject({ outcome: 'success', stdout: 'ok\n' });
  });

  it('runs without capabilities, as uid 65534, with no_new_privs', async () => {
    const code =
      'import os\nst = {l.split(":")[0]: l.split(":")[1].strip() for l in open("/proc/self/status")}\nprint(os.getuid(), os.getgid(), os.getgroups(), st["CapEff"], st["CapBnd"], st["NoNewPrivs"], st["Seccomp"])';
    const result = await sandbox.run('python', code);
    expect(result.stdout).toBe('65534 65534 [] 0000000000000000 0000000000000000 1 2\n');
  });
});
