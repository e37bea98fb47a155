// Loads the Lua scripts in ./lua as ioredis commands; the key count comes from the file name (`name-<keys>.lua`).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

const LUA_DIR = fileURLToPath(new URL('./lua/', import.meta.url));

/** Script return codes below zero, shared by every script. */
export enum ScriptCode {
  Ok = 1,
  AlreadyExists = -1,
  NotFound = -2,
  WrongStatus = -3,
}

const scripts = readdirSync(LUA_DIR)
  .filter((f) => f.endsWith('.lua'))
  .map((file) => {
    const match = /^(.+)-(\d+)\.lua$/.exec(file);
    if (!match) throw new Error(`Lua file ${file} must be named <name>-<number of keys>.lua`);
    const name = match[1]!.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    return { name, numberOfKeys: Number(match[2]), lua: readFileSync(LUA_DIR + file, 'utf8') };
  });

export interface ScriptCommands {
  createJob(jobKey: string, historyKey: string, ...args: (string | number)[]): Promise<number>;
  transitionJob(jobKey: string, ...args: (string | number)[]): Promise<number>;
  deleteJob(jobKey: string, historyKey: string, jobId: string): Promise<number>;
}

/** Register every script on a connection (idempotent) and return it typed. */
export function withScripts(redis: Redis): Redis & ScriptCommands {
  for (const { name, numberOfKeys, lua } of scripts) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
  }
  return redis as Redis & ScriptCommands;
}
