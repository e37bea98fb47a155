// Redis connections for the two kinds of client: producers fail fast, workers wait for Redis to return.
import { Redis } from 'ioredis';

export type RedisRole = 'producer' | 'worker';

/**
 * Producers (the API) answer a request now or not at all, so commands fail fast while Redis is down;
 * workers block on BullMQ and must retry forever (BullMQ requires maxRetriesPerRequest: null).
 * Never set ioredis `keyPrefix`: BullMQ does not support it.
 */
export function createRedis(url: string, role: RedisRole): Redis {
  return new Redis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 5000,
  });
}
