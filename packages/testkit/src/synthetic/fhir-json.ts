/** Small helpers shared by the synthetic document builders: FHIR dates and national systems. */
import type { RandomSource } from '@nexo/identifiers';

export const RNDS = 'http://www.saude.gov.br/fhir/r4';
export const SYSTEMS = {
  individual: `${RNDS}/StructureDefinition/BRIndividuo-1.0`,
  establishment: `${RNDS}/StructureDefinition/BREstabelecimentoSaude-1.0`,
  documentType: `${RNDS}/CodeSystem/BRTipoDocumento`,
  bundleIdentifier: `${RNDS}/NamingSystem/BRRNDS-99`,
} as const;

/** A JSON object as the builders produce it: plain data, safe to serialise and to edit. */
export type JsonObject = { [key: string]: unknown };

/** A FHIR Bundle as the synthetic builders return it, with the parts variants edit typed. */
export interface SyntheticBundle extends JsonObject {
  readonly resourceType: 'Bundle';
  identifier: { system: string; value: string };
  entry: Array<{ fullUrl: string; resource: JsonObject }>;
}

const BRASILIA_OFFSET_MS = 3 * 3_600_000;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2025-03-10T09:42:00-03:00`: an instant written in Brasília time, as senders write them. */
export const fhirDateTime = (instantMs: number): string => {
  const local = new Date(Math.floor(instantMs / 1000) * 1000 - BRASILIA_OFFSET_MS);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}-03:00`
  );
};

/** The calendar day (Brasília) of an instant, as a FHIR `date`. */
export const fhirDate = (instantMs: number): string => fhirDateTime(instantMs).slice(0, 10);

/** An instant during opening hours within the `days` before `nowMs`, at least an hour in the past. */
export const pastInstant = (random: RandomSource, nowMs: number, days = 730): number =>
  nowMs - 3_600_000 - Math.floor(random() * days * 86_400_000);

export const intBelow = (random: RandomSource, max: number): number =>
  Math.min(max - 1, Math.floor(random() * max));

export const pickOne = <T>(random: RandomSource, items: readonly T[]): T => {
  const item = items[intBelow(random, items.length)];
  if (item === undefined) throw new RangeError('cannot pick from an empty list');
  return item;
};

export const coding = (codeSystem: string, code: string): JsonObject => ({
  coding: [{ system: `${RNDS}/CodeSystem/${codeSystem}`, code }],
});

export const individual = (number: string): JsonObject => ({
  identifier: { system: SYSTEMS.individual, value: number },
});

export const establishment = (cnes: string): JsonObject => ({
  identifier: { system: SYSTEMS.establishment, value: cnes },
});

/** The Composition every national document opens with; `entries` are the fullUrls it lists. */
export const composition = (options: {
  readonly profile: string;
  readonly type: 'RIA' | 'REL' | 'RDM';
  readonly title: string;
  readonly subject: string;
  readonly author: string;
  readonly date: string;
  readonly entries: readonly string[];
}): JsonObject => ({
  resourceType: 'Composition',
  meta: { profile: [`${RNDS}/StructureDefinition/${options.profile}`] },
  status: 'final',
  type: coding('BRTipoDocumento', options.type),
  subject: individual(options.subject),
  date: options.date,
  author: [establishment(options.author)],
  title: options.title,
  section: [{ entry: options.entries.map((reference) => ({ reference })) }],
});

/** A document Bundle around its resources; entry 0 must be the Composition. */
export const documentBundle = (
  identifier: string,
  date: string,
  resources: readonly JsonObject[],
): SyntheticBundle => ({
  resourceType: 'Bundle',
  meta: { lastUpdated: date },
  identifier: { system: SYSTEMS.bundleIdentifier, value: identifier },
  type: 'document',
  timestamp: date,
  entry: resources.map((resource, index) => ({ fullUrl: `urn:uuid:transient-${index}`, resource })),
});
