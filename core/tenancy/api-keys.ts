// Maps an API key to its tenant. Keys are compared by SHA-256 digest so lookups take the same time for any key.
import { createHash } from 'node:crypto';
import { DEFAULT_TENANT_QUOTAS, type Config } from '../config.js';

export interface Tenant {
  tenantId: string;
  maxConcurrentJobs: number;
  maxDailyJobs: number;
}

const digest = (key: string) => createHash('sha256').update(key).digest('base64');

export class ApiKeyDirectory {
  private readonly byDigest = new Map<string, Tenant>();

  constructor(keys: NonNullable<Config['TENANT_API_KEYS_JSON']>) {
    for (const [key, entry] of Object.entries(keys)) {
      const tenant = typeof entry === 'string' ? { tenantId: entry, ...DEFAULT_TENANT_QUOTAS } : entry;
      this.byDigest.set(digest(key), tenant);
    }
  }

  get size(): number {
    return this.byDigest.size;
  }

  /** The tenant that owns `key`, or undefined. */
  lookup(key: string): Tenant | undefined {
    return this.byDigest.get(digest(key));
  }
}
