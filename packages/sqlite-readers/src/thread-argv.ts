/**
 * The Node options a worker thread starts with, when it runs plain JavaScript modules: the CPU
 * profiler's options, if the process runs under it (so a profile covers every thread), and no
 * other.
 *
 * A worker inherits the process's options unless given its own. The process usually runs under
 * tsx's TypeScript loader (`--import tsx`), which a worker would load again for nothing: 100–300 ms
 * per thread start on a 2-core VM, paid by every hub start and by each replay, whose writer thread
 * starts with it. The V8 flags the process may have (`--max-semi-space-size`) are not passed
 * either: a worker refuses them when given explicitly, and ignores them when inherited.
 */
const PROFILER_OPTION = /^--cpu-prof(?:-dir|-name|-interval)?(?:=|$)/;

export const plainThreadArgv = (execArgv: readonly string[] = process.execArgv): string[] => {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const option = execArgv[i] as string;
    if (!PROFILER_OPTION.test(option)) continue;
    kept.push(option);
    // `--cpu-prof-dir <dir>`: the value is the next argument.
    const next = execArgv[i + 1];
    if (option !== '--cpu-prof' && !option.includes('=') && next !== undefined) {
      kept.push(next);
      i++;
    }
  }
  return kept;
};
