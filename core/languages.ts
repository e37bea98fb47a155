// The languages the sandbox can run; the API validates against this list and the runner maps each to a toolchain.
export const LANGUAGES = ['javascript', 'python', 'java'] as const;

export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
