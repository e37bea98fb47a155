// Exploit corpus: secret discovery through the environment and /proc finds only the fixed variables.
import { describe, expect, it } from 'vitest';
import { useSandbox } from './sandbox-harness.js';

process.env.CCEE_FAKE_SECRET = 'sk-test-do-not-leak-1234';
const sandbox = useSandbox();

describe.concurrent('secret discovery', () => {
  it('shows only PATH, HOME, LANG (and PWD) to python', async () => {
    const result = await sandbox.run(
      'python',
      'import os, json; print(json.dumps(dict(os.environ), sort_keys=True))',
    );
    expect(JSON.parse(result.stdout)).toEqual({
      HOME: '/workspace',
      LANG: 'C.UTF-8',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      PWD: '/workspace',
    });
  });

  it('leaks nothing through /proc/*/environ or cmdline', async () => {
    const code = [
      'import os',
      'out = []',
      'for pid in [p for p in os.listdir("/proc") if p.isdigit()]:',
      '    for f in ("environ", "cmdline"):',
      '        try: out.append(open(f"/proc/{pid}/{f}", "rb").read().decode(errors="replace"))',
      '        except OSError as e: out.append(f"{pid}/{f}: {e.strerror}")',
      'print("\\n".join(out))',
    ].join('\n');
    const [py, js] = await Promise.all([
      sandbox.run('python', code),
      sandbox.run(
        'javascript',
        'console.log(JSON.stringify(process.env)); console.log(require("fs").readFileSync("/proc/1/cmdline", "utf8"))',
      ),
    ]);
    for (const r of [py, js]) {
      expect(r.stdout).not.toContain('sk-test-do-not-leak');
      expect(r.stdout).not.toContain('CCEE_FAKE_SECRET');
      expect(r.stdout).not.toMatch(/REDIS|AWS_|OPENAI/);
    }
  });

  it('sees only its own processes', async () => {
    const result = await sandbox.run(
      'python',
      'import os; print(sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))',
    );
    expect(result.stdout).toBe('[1, 2]\n');
  });
});
