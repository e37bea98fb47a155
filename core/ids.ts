// Time-sortable job ids (ULID layout: 48-bit ms timestamp + 80 random bits, Crockford base32).
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const JOB_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The 10-character time part of an id for `ms`; every id made later sorts after it. */
export function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

let lastMs = -1;
let lastRandom: number[] = [];

/**
 * A new id that sorts after every id this process made before (monotonic within a millisecond),
 * so "newest first" is plain reverse lexical order.
 * @example newJobId() // '01JDZ4K5Q8M3V6X9T2B7C0N1RS'
 */
export function newJobId(now: number = Date.now()): string {
  if (now <= lastMs) {
    increment(lastRandom);
    now = lastMs;
  } else {
    lastMs = now;
    lastRandom = [...randomBytes(16)].map((b) => b % 32);
  }
  return encodeTime(now) + lastRandom.map((d) => ALPHABET[d]).join('');
}

function increment(digits: number[]): void {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < 31) {
      digits[i]!++;
      return;
    }
    digits[i] = 0;
  }
}

/** Milliseconds since the epoch encoded in an id. */
export function jobIdTime(id: string): number {
  let ms = 0;
  for (const ch of id.slice(0, 10)) ms = ms * 32 + ALPHABET.indexOf(ch);
  return ms;
}
