/**
 * `pnpm dead-letters`: a consumer group's dead letters as an operator reads them. It prints no
 * personal data: position, event id, type, stream (a hash, a CNES or a protocol, never a citizen)
 * and when it failed, and of the reason only the error's code or class. The rest of a reason is an
 * error message, which may quote the data the event carries (a revision conflict names the
 * document, whose id is a citizen key): it stays with the letter, in the engine's dead-letter store.
 */
import { parseArgs } from 'node:util';
import type { DeadLetter } from '@nexo/eventstore';
import { PROJECTOR_GROUP } from '@nexo/domain';

export const DEAD_LETTERS_USAGE =
  'usage: pnpm dead-letters [--group <consumer group>]   (default group: projector)';

/** A reason's code (`NEXO_ERR_…`, `SQLITE_…`) or class (`TypeError`): what comes before its first `: `. */
const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const ERROR_CLASS = /^(?:[A-Z][A-Za-z0-9]*)?Error$/;
const UNCODED = 'uncoded error';
const GROUP = /^[A-Za-z0-9._-]{1,100}$/;

export type DeadLettersArgs =
  { readonly ok: true; readonly group: string } | { readonly ok: false; readonly problem: string };

export const parseDeadLettersArgs = (argv: readonly string[]): DeadLettersArgs => {
  let group: string;
  try {
    const { values } = parseArgs({ args: [...argv], options: { group: { type: 'string' } }, strict: true });
    group = values.group ?? PROJECTOR_GROUP;
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
  if (!GROUP.test(group)) return { ok: false, problem: '--group takes a consumer group name' };
  return { ok: true, group };
};

/** What of a reason may be shown: its code or error class, never its message. */
export const reasonLabel = (reason: string): string => {
  const end = reason.indexOf(': ');
  const head = end < 0 ? '' : reason.slice(0, end);
  return CODE.test(head) || ERROR_CLASS.test(head) ? head : UNCODED;
};

/**
 * How a CLI names an error it stops on: the configuration's own message (it names variables), else
 * the error's code or class alone (a message may quote data: a JSON parse error quotes its input).
 */
export const errorLabel = (error: unknown): string => {
  const { code, name, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
  };
  if (code === 'NEXO_ERR_CONFIG' && typeof message === 'string') return message;
  if (typeof code === 'string' && code !== '') return code;
  return typeof name === 'string' && name !== '' ? name : 'unknown error';
};

/** A cell as a terminal shows it: printable ASCII only (an event's stream is writer text). */
const cell = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?');

const table = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((text, column) => text.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

/**
 * The report `pnpm dead-letters` prints for `group`: one line per letter, oldest first. `counted`
 * is the engine's count, which may include letters that cannot be listed (on Kafka, a message
 * whose value is no event).
 */
export const deadLettersReport = (group: string, letters: readonly DeadLetter[], counted: number): string => {
  const unlisted = Math.max(0, counted - letters.length);
  if (letters.length === 0 && unlisted === 0) return `Consumer group ${group} has no dead letters.\n`;
  const total = letters.length + unlisted;
  const lines = [
    `Consumer group ${group} gave up on ${total} event${total === 1 ? '' : 's'} (dead letters; the events stay in the log).`,
  ];
  if (letters.length > 0) {
    const rows = letters.map((letter) => [
      String(letter.event.position),
      letter.event.id,
      letter.event.type,
      letter.event.stream,
      letter.failedAt,
      reasonLabel(letter.reason),
    ]);
    lines.push(
      '',
      table(
        [['position', 'event id', 'type', 'stream', 'failed at', 'reason'], ...rows].map((row) =>
          row.map(cell),
        ),
      ),
    );
  }
  if (unlisted > 0)
    lines.push('', `${unlisted} more counted that cannot be listed: their message is not an event.`);
  lines.push(
    '',
    "Reasons show the error's code or class only: the full message may quote the event's data and stays with the letter.",
    'Once the cause is fixed, `pnpm replay` (hub stopped) rebuilds the read models and resolves the letters whose events it applied.',
  );
  return `${lines.join('\n')}\n`;
};

/** Reads the group's dead letters and their count, and writes the report. */
export const listDeadLetters = async (
  engines: {
    deadLetters(group: string): Promise<DeadLetter[]>;
    deadLetterCount(group: string): Promise<number>;
  },
  group: string,
): Promise<string> => {
  const letters = await engines.deadLetters(group);
  return deadLettersReport(group, letters, await engines.deadLetterCount(group));
};
