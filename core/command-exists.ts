// Whether an executable is on PATH, to name a missing prerequisite before anything starts.
import { access, constants } from 'node:fs/promises';
import path from 'node:path';

export async function commandExists(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      await access(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}
