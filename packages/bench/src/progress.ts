/** Progress lines on stderr for long steps: rewritten in place on a terminal, one per interval otherwise. */

const interactive = process.stderr.isTTY === true;

export interface Progress {
  /** Reports the current state; written at most every `intervalMs` (and always on a terminal's last call). */
  update(text: string): void;
  done(text?: string): void;
}

export const progress = (label: string, intervalMs = interactive ? 250 : 5_000): Progress => {
  let last = 0;
  let pending = '';
  const write = (text: string, final: boolean): void => {
    if (interactive) process.stderr.write(`\r\u001b[2K  ${label}: ${text}${final ? '\n' : ''}`);
    else process.stderr.write(`  ${label}: ${text}\n`);
  };
  return {
    update: (text) => {
      pending = text;
      const now = performance.now();
      if (now - last < intervalMs) return;
      last = now;
      write(text, false);
    },
    done: (text) => write(text ?? pending, true),
  };
};

export const log = (text: string): void => {
  process.stderr.write(`${text}\n`);
};
