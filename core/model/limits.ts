// Per-job resource limits a client may ask for: default, minimum and maximum of each, in one table.

export interface LimitSpec {
  description: string;
  default: number;
  min: number;
  max: number;
}

/** The table the request schema, the API docs and the UI are built from. */
export const JOB_LIMITS = {
  timeoutMs: {
    description: 'Wall-clock limit of the run (ms); compilation has its own budget.',
    default: 3000,
    min: 100,
    max: 30_000,
  },
  memoryMb: {
    description: 'Memory limit of the job (MiB), swap included.',
    default: 256,
    min: 32,
    max: 2048,
  },
  cpuMillicores: { description: 'CPU share (1000 = one core).', default: 1000, min: 100, max: 2000 },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof JOB_LIMITS;
