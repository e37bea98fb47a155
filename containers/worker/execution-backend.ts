// Where a job's program runs: the local sandbox on this machine, or (later) a runner task on ECS.
import type { Logger } from '../../core/logger.js';
import type { ExecutionRequest, ExecutionResult } from '../../core/model/execution-result.js';

export interface ExecutionBackend {
  /** Run one program under its limits. Throws only for platform failures (they are retried). */
  execute(request: ExecutionRequest, logger: Logger): Promise<ExecutionResult>;
  close(): Promise<void>;
}
