import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDocumentValidator, parseCodeSystemFile } from '@nexo/fhir';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTerminologyCli } from '../src/terminology-cli.ts';
import { addCodeSystem } from '../src/terminology/add-code-system.ts';
import { riaDocument } from './fixtures/index.ts';

const SHIPPED = fileURLToPath(new URL('../../../schemas/terminology/', import.meta.url));
const IMUNOBIOLOGICO = 'http://www.saude.gov.br/fhir/r4/CodeSystem/BRImunobiologico';

const shipped = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(SHIPPED, `${name}.json`), 'utf8')) as Record<string, unknown>;

/** BRImunobiologico with one more vaccine, as a new release of the code system would bring. */
const withNewVaccine = (): Record<string, unknown> => {
  const file = shipped('BRImunobiologico');
  return {
    ...file,
    version: '1.0.1',
    codes: { ...(file.codes as Record<string, string>), '999': 'VACINA NOVA' },
  };
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nexo-terminology-'));
  cpSync(SHIPPED, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('parseCodeSystemFile', () => {
  it('accepts every shipped file', () => {
    for (const name of readdirSync(SHIPPED).filter((n) => n.endsWith('.json'))) {
      expect(parseCodeSystemFile(JSON.parse(readFileSync(join(SHIPPED, name), 'utf8')))).toMatchObject({
        ok: true,
      });
    }
  });

  it('lists every problem of a malformed file', () => {
    expect(
      parseCodeSystemFile({
        system: 'not a uri',
        name: '../etc',
        version: '',
        codes: { ' 1': '', 2: 'ok' },
        extra: 1,
      }),
    ).toEqual({
      ok: false,
      errors: [
        'unexpected property "extra"',
        '"system" must be an absolute URI',
        '"name" must start with a letter and hold only letters, digits, "_" or "-" (it names the file)',
        '"version" must be a non-empty string',
        '"source" must say where the codes come from',
        'code " 1" is not a FHIR code (no leading, trailing or double spaces)',
        'code " 1" needs a non-empty display string',
      ],
    });
  });
});

describe('addCodeSystem', () => {
  it('replaces the file of the same system and regenerates the README', () => {
    expect(addCodeSystem(withNewVaccine(), dir)).toEqual({
      fileName: 'BRImunobiologico.json',
      replaced: 'BRImunobiologico.json',
      codes: 119,
    });
    expect(JSON.parse(readFileSync(join(dir, 'BRImunobiologico.json'), 'utf8'))).toMatchObject({
      version: '1.0.1',
    });
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(
      `| BRImunobiologico | ${IMUNOBIOLOGICO} | 1.0.1 | 119 |`,
    );
  });

  it('renames: a new name for a known system removes the old file', () => {
    expect(addCodeSystem({ ...withNewVaccine(), name: 'BRImunobiologico-2025' }, dir)).toEqual({
      fileName: 'BRImunobiologico-2025.json',
      replaced: 'BRImunobiologico.json',
      codes: 119,
    });
    expect(readdirSync(dir)).not.toContain('BRImunobiologico.json');
  });

  it('adds a new system', () => {
    const file = {
      system: 'http://example.org/CodeSystem/x',
      name: 'Example',
      version: '1',
      source: 'test',
      codes: { a: 'A' },
    };
    expect(addCodeSystem(file, dir)).toEqual({ fileName: 'Example.json', codes: 1 });
  });

  it('refuses a name that holds another system', () => {
    expect(() => addCodeSystem({ ...withNewVaccine(), name: 'BRDose' }, dir)).toThrow(
      /BRDose.json already holds/,
    );
  });

  it('refuses an invalid file and writes nothing', () => {
    const before = readdirSync(dir).sort();
    expect(() => addCodeSystem({ name: 'X' }, dir)).toThrow(/not a valid code-system file/);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('a new code needs no code change: the next validator accepts it', () => {
    const now = { now: new Date('2025-06-01T12:00:00Z') };
    const bundle = riaDocument({ vaccine: '999' });
    expect(createDocumentValidator({ terminologyDir: dir }).validate(bundle, now).ok).toBe(false);
    addCodeSystem(withNewVaccine(), dir);
    const result = createDocumentValidator({ terminologyDir: dir }).validate(bundle, now);
    expect(
      result.ok && result.document.summary.recordType === 'RIA' && result.document.summary.vaccine,
    ).toEqual({
      system: IMUNOBIOLOGICO,
      code: '999',
      display: 'VACINA NOVA',
    });
  });
});

describe('the terminology:add command', () => {
  it('writes the file given relative to where it was typed', () => {
    writeFileSync(join(dir, 'new.json.in'), JSON.stringify(withNewVaccine()));
    expect(runTerminologyCli(['new.json.in', '--dir', dir], dir)).toEqual({
      exitCode: 0,
      output:
        'wrote BRImunobiologico.json with 119 codes (replaced BRImunobiologico.json); restart the hub to load it',
    });
  });

  it.each([
    [[], 2, /^usage:/],
    [['a.json', 'b.json'], 2, /^usage:/],
    [['missing.json'], 1, /^cannot read missing.json as JSON/],
  ])('%j exits with %i', (args, exitCode, output) => {
    const result = runTerminologyCli([...args, '--dir', dir], dir);
    expect(result.exitCode).toBe(exitCode);
    expect(result.output).toMatch(output);
  });

  it('reports an invalid file', () => {
    writeFileSync(join(dir, 'bad.json.in'), JSON.stringify({ system: 'x' }));
    expect(runTerminologyCli(['bad.json.in', '--dir', dir], dir)).toMatchObject({
      exitCode: 1,
      output: expect.stringMatching(/^not a valid code-system file/),
    });
  });
});
