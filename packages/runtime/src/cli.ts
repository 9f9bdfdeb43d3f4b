import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type NexoConfig } from './config.ts';
import { eventLogFile } from './engines.ts';
import type { Env } from './env-reader.ts';

/** Exit status of a command-line tool, or a service's start, given what it cannot use. */
export const USAGE_ERROR = 2;

/**
 * The configuration for a service or a command-line tool. A wrong variable stops the process with
 * one line naming every wrong variable (never a secret's value) and exit status 2: a stack trace
 * would only bury it.
 */
export const loadConfigOrExit = (env: Env = process.env): NexoConfig => {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.code}: ${error.message}\n`);
    process.exit(USAGE_ERROR);
  }
};

/**
 * A command-line tool's arguments, parsed strictly. An unknown option, a missing value, a stray
 * argument or an option given twice that takes one value prints what is wrong and the usage, and
 * exits 2, instead of a stack trace.
 */
export const parseCliArgs = <T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> => {
  try {
    const parsed = parseArgs({ ...config, tokens: true });
    refuseRepeatedOptions(config, parsed.tokens ?? []);
    return parsed as ReturnType<typeof parseArgs<T>>;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    process.exit(USAGE_ERROR);
  }
};

/**
 * node:util keeps the last of an option given twice. For `--cnes A --cnes B` that acts on B
 * alone, silently, when the operator may have meant either: refused instead, naming the option.
 */
const refuseRepeatedOptions = (
  config: ParseArgsConfig,
  tokens: readonly { readonly kind: string; readonly name?: string }[],
): void => {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    if (config.options?.[token.name]?.multiple === true) continue;
    if (seen.has(token.name)) throw new Error(`Option '--${token.name}' given more than once`);
    seen.add(token.name);
  }
};

/** The embedded event log's path when the data folder has none yet; undefined otherwise (or on MongoDB). */
export const missingEventLog = (config: NexoConfig): string | undefined => {
  if (config.eventEngine !== 'sqlite') return undefined;
  const log = eventLogFile(config.dataDir);
  return existsSync(log) ? undefined : log;
};

/**
 * For a tool that works on data a hub already wrote (`pnpm replay`, `pnpm dead-letters`): on the
 * embedded engines, a data folder without an event log is a mistyped `NEXO_DATA_DIR`. Opening the
 * engines there would create an empty store and report on it as if it were the hub's, so the tool
 * stops with exit status 2 instead.
 */
export const exitUnlessEventLog = (config: NexoConfig): void => {
  const log = missingEventLog(config);
  if (log === undefined) return;
  process.stderr.write(`no event log at ${log}: set NEXO_DATA_DIR to the hub's data folder.\n`);
  process.exit(USAGE_ERROR);
};
