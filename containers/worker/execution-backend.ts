// Where a job's program runs: the local sandbox on this machine, or (later) a runner task on ECS.
import type { ExecutionRequest, ExecutionResult } from '../../core/model/execution-result.js';

export interface ExecutionBackend {
  /** Run one program under its limits. Throws only for platform failures (they are retried). */
  execute(request: ExecutionRequest): Promise<ExecutionResult>;
  close(): Promise<void>;
}
