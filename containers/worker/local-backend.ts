// The local execution backend: the bubblewrap + cgroups sandbox on this machine.
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import { BwrapSandbox } from '../runner/bwrap-sandbox.js';
import type { ExecutionBackend } from './execution-backend.js';

/** Map config to sandbox options; throws SandboxUnavailableError when the sandbox cannot be set up. */
export async function createLocalBackend(config: Config, logger: Logger): Promise<ExecutionBackend> {
  const sandbox = await BwrapSandbox.create(
    {
      maxStdioBytes: config.MAX_STDIO_BYTES,
      compileTimeoutMs: config.COMPILE_TIMEOUT_MS,
      cgroupName: config.SANDBOX_CGROUP_NAME,
      workDir: config.SANDBOX_WORK_DIR,
      tmpfsMb: config.SANDBOX_TMPFS_MB,
      maxProcesses: config.SANDBOX_MAX_PROCESSES,
      maxFileBytes: config.SANDBOX_MAX_FILE_BYTES,
      maxOpenFiles: config.SANDBOX_MAX_OPEN_FILES,
    },
    logger,
  );
  return {
    execute: (request, jobLogger) => sandbox.run(request, jobLogger),
    close: async () => sandbox.close(),
  };
}
