import { readFileSync } from 'node:fs';

/**
 * The JSON of a file that holds a secret (a private key as a JWK). A damaged file is reported by its
 * path alone: a JSON parser's message quotes the text it could not read, here the key itself, and
 * that message would reach the console and the logs of a process that fails to start.
 */
export const readSecretJson = (file: string): unknown => {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(
      `${file} is not valid JSON: it must hold a private key as a JWK; restore it from a backup.`,
    );
  }
};
