/** Environment variables as the configuration modules read them. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvReader {
  /** The variable's value when it is one of `allowed`, else the fallback (and a problem noted). */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  /** The variable as an integer in [min, max], else the fallback (and a problem noted). */
  int(name: string, fallback: number, min: number, max: number): number;
  /** The variable when it is an http(s) URL; undefined when unset, or (a problem noted) when it is not one. */
  httpUrl(name: string): string | undefined;
}

/**
 * Reads typed values and collects every problem instead of stopping at the first, so a wrong
 * configuration is reported whole at start-up.
 */
export const envReader = (env: Env, problems: string[]): EnvReader => ({
  oneOf: <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = env[name] ?? fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${name} must be one of ${allowed.join(', ')}`);
    return fallback;
  },
  int: (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(`${name} must be an integer from ${min} to ${max}`);
    return fallback;
  },
  httpUrl: (name: string): string | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    if (URL.canParse(raw) && /^https?:$/.test(new URL(raw).protocol)) return raw;
    problems.push(`${name} must be an http(s) URL`);
    return undefined;
  },
});
