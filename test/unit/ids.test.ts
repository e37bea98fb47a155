// Job ids sort by creation time, stay unique within a millisecond, and encode their time.
import { expect, test } from 'vitest';
import { JOB_ID_PATTERN, jobIdTime, newJobId } from '../../core/ids.js';

test('ids made in the same millisecond are unique and increasing', () => {
  const ids = Array.from({ length: 1000 }, () => newJobId(1_700_000_000_000));
  expect(new Set(ids).size).toBe(1000);
  expect([...ids].sort()).toEqual(ids);
  for (const id of ids) expect(id).toMatch(JOB_ID_PATTERN);
});

test('later ids sort after earlier ones and carry their time', () => {
  const a = newJobId(1_800_000_000_000);
  const b = newJobId(1_800_000_000_001);
  expect(a < b).toBe(true);
  expect(jobIdTime(b)).toBe(1_800_000_000_001);
});
