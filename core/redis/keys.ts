// Every Redis key CCEE uses is built here. Tenant keys share the tenant's hash tag, so one script
// touches one slot and a key of another tenant cannot be named from a tenant's request.

/** Tenant ids are validated at config time; this guards the hash tag against `{`/`}` anyway. */
const TENANT_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export class KeySpace {
  /**
   * @param namespace prefix of every key; tests pass a random one to stay apart.
   * @defaultValue 'ccee'
   */
  constructor(readonly namespace = 'ccee') {}

  /** BullMQ's prefix: a hash tag of its own, so all of a queue's keys live in one slot. */
  get queuePrefix(): string {
    return `{${this.namespace}}`;
  }

  /**
   * Sorted set (score = ms): submissions between "record stored" and "queued". In BullMQ's slot, not a
   * tenant's, because the repair sweep reads it across tenants.
   */
  get enqueueJournal(): string {
    return `${this.queuePrefix}:enqueue-journal`;
  }

  private tenant(tenantId: string): string {
    if (!TENANT_PATTERN.test(tenantId))
      throw new Error(`invalid tenant id for a key: ${JSON.stringify(tenantId)}`);
    return `${this.namespace}:{t:${tenantId}}`;
  }

  /** Hash: one job's record. */
  job(tenantId: string, jobId: string): string {
    return `${this.tenant(tenantId)}:job:${jobId}`;
  }

  /** Sorted set (all scores 0, ordered by id): the tenant's job history, newest last. */
  jobHistory(tenantId: string): string {
    return `${this.tenant(tenantId)}:jobs`;
  }
}
