import { v7 } from 'uuid';

/** Time-ordered UUID v7: event ids and record ids sort by creation. */
export const newId = (): string => v7();
