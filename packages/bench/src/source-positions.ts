/**
 * Maps positions in tsx's transformed modules back to the TypeScript sources. tsx compiles each
 * file to one minified line and wraps functions so that V8 loses their names; a CPU profile of a
 * process run under tsx therefore says `(anonymous) file.ts:1`. tsx keeps each module's source map
 * in its cache folder; with it a profile frame gets its real line and the name written there.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface OriginalPosition {
  readonly file: string;
  /** 0-based, like the profile's own line numbers. */
  readonly line: number;
  /** The name declared at that position in the source, when one can be read there. */
  readonly name: string | undefined;
}

export type PositionMapper = (file: string, line: number, column: number) => OriginalPosition | undefined;

const DECLARED_NAME =
  /(?:const|let|var|function\*?|class)\s+([\w$]+)|([\w$#]+)\s*[:=]\s*(?:async\s*)?(?:\(|function|[\w$]+\s*=>)|^\s*(?:static\s+|async\s+|get\s+|set\s+)*([\w$#]+)\s*\(/;

const loadMaps = (): Map<string, { map: SourceMap; mtime: number }> => {
  const maps = new Map<string, { map: SourceMap; mtime: number }>();
  const dir = join(tmpdir(), `tsx-${userInfo().uid}`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return maps;
  }
  for (const name of names) {
    const file = join(dir, name);
    try {
      const mtime = statSync(file).mtimeMs;
      const cached = JSON.parse(readFileSync(file, 'utf8')) as { map?: SourceMapPayload };
      const source = cached.map?.sources[0];
      if (cached.map === undefined || source === undefined) continue;
      if ((maps.get(source)?.mtime ?? -1) < mtime)
        maps.set(source, { map: new SourceMap(cached.map), mtime });
    } catch {
      // Not a cached module (or written while we read it): skip it.
    }
  }
  return maps;
};

/** A mapper over the source maps tsx cached for this user; identity-free when there are none. */
export const tsxPositionMapper = (): PositionMapper => {
  const maps = loadMaps();
  const sources = new Map<string, string[]>();
  const linesOf = (file: string): string[] => {
    let lines = sources.get(file);
    if (lines === undefined) {
      try {
        lines = readFileSync(file, 'utf8').split('\n');
      } catch {
        lines = [];
      }
      sources.set(file, lines);
    }
    return lines;
  };
  return (file, line, column) => {
    const entry = maps.get(file)?.map.findEntry(line, column);
    if (entry === undefined || !('originalLine' in entry)) return undefined;
    const text = linesOf(file)[entry.originalLine] ?? '';
    const match = DECLARED_NAME.exec(text);
    return { file, line: entry.originalLine, name: match?.[1] ?? match?.[2] ?? match?.[3] };
  };
};
