import type { CitizenRecords } from './citizen-records.ts';

/**
 * One person's records across every identifier that names them (provisional CNS, definitive
 * CNS, CPF). A record appears once even when it reached the person under two numbers.
 */
export const unionCitizenRecords = (
  citizenKey: string,
  views: readonly (CitizenRecords | undefined)[],
): CitizenRecords => {
  const records: Record<string, CitizenRecords['records'][string]> = {};
  const streams: Record<string, number> = {};
  for (const view of views) {
    if (!view) continue;
    Object.assign(records, view.records);
    Object.assign(streams, view.streams);
  }
  return { citizenKey, records, streams };
};
