import type { DocumentWrite } from '../port.ts';

/** The put's body as JSON; a TypeError when it has none (undefined, a function). */
export declare const bodyJson: (write: Extract<DocumentWrite, { kind: 'put' }>) => string;
