import type { SortKey } from './index-keys.ts';

/** The values a document is found by: the scalar at `path`, or each scalar of an array there. */
export declare const indexValues: (body: unknown, path: string) => string[];

/** The number or string at `path`, or null when there is none (such documents sort last). */
export declare const sortKeyOf: (body: unknown, path: string) => SortKey;
