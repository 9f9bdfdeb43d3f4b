import { describe, expect, it } from 'vitest';
import { CORRECTION_TEXT_MAX, correctionTextProblem } from '../src/index.ts';

describe('the length of a correction request’s text counts characters as a person does', () => {
  it('takes 2,000 emoji (4,000 UTF-16 units) and refuses 2,001, naming the field', () => {
    const emoji = '😷';
    expect(correctionTextProblem(emoji.repeat(CORRECTION_TEXT_MAX), 'message')).toBeUndefined();
    expect(correctionTextProblem(emoji.repeat(CORRECTION_TEXT_MAX + 1), 'message')).toMatchObject({
      expression: 'message',
      message: 'message must be text of 1 to 2000 characters.',
    });
    expect(correctionTextProblem('a'.repeat(CORRECTION_TEXT_MAX + 1), 'reason')).toMatchObject({
      expression: 'reason',
    });
    expect(correctionTextProblem(' \n\t', 'message')).toMatchObject({ expression: 'message' });
  });
});
