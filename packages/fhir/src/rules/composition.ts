import {
  isEstablishmentIdentifierSystem,
  isValidCnes,
  isValidCnpj,
  isValidCns,
  type CitizenId,
} from '@nexo/identifiers';
import { canonicalName, CODE_SYSTEMS, PARTY_SYSTEMS } from '../canonical.ts';
import type { ValidatedDocument } from '../document.ts';
import { arrayAt, firstCoding, objectAt, objectIn, stringAt } from '../json.ts';
import type { ModelSpec } from '../models.ts';
import { codedFromCoding } from '../terminology/bindings.ts';
import { readCitizenId } from './citizen.ts';
import { siteOf, type RuleContext } from './context.ts';
import { checkRecordDate } from './dates.ts';
import type { Envelope } from './envelope.ts';

/** What the Composition (and the Bundle around it) says about the record. */
export interface DocumentFacts {
  readonly bundleIdentifier?: ValidatedDocument['bundleIdentifier'];
  readonly author?: ValidatedDocument['author'];
  readonly subject?: CitizenId;
  readonly status?: ValidatedDocument['status'];
  readonly replaces?: string;
  readonly documentDate?: string;
}

const RECORD_ID = /^Composition\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * The party an identifier names as the national models name authors and performers: a CNES under an
 * establishment system, a CNPJ or CNS under BRPessoaJuridicaProfissionalLiberal-1.0; undefined for
 * any other system or an invalid number.
 */
export const partyOf = (identifier: unknown): ValidatedDocument['author'] | undefined => {
  const system = stringAt(identifier, 'system');
  const value = stringAt(identifier, 'value');
  if (system === undefined || value === undefined) return undefined;
  if (isEstablishmentIdentifierSystem(system))
    return isValidCnes(value) ? { kind: 'CNES', number: value } : undefined;
  if (system !== PARTY_SYSTEMS.PESSOA_JURIDICA_PROFISSIONAL_LIBERAL) return undefined;
  if (isValidCnpj(value)) return { kind: 'CNPJ', number: value };
  return isValidCns(value) ? { kind: 'CNS', number: value } : undefined;
};

/**
 * Status `final`, or `entered-in-error` together with relatesTo (a cancellation); anything else is
 * EHR-ERR924. The national network rejects every status but final; Nexo also accepts cancellations.
 */
const readStatus = (ctx: RuleContext, envelope: Envelope): DocumentFacts['status'] => {
  const composition = envelope.composition.resource;
  const status = stringAt(composition, 'status');
  if (status === undefined) return undefined; // required: reported by the schema
  if (status === 'final') return 'final';
  const cancels = (arrayAt(composition, 'relatesTo')?.length ?? 0) > 0;
  if (status === 'entered-in-error' && cancels) return 'entered-in-error';
  ctx.problems.error(
    'NEXO_ERR_STATUS_NOT_FINAL',
    `${envelope.composition.path}.status`,
    status === 'entered-in-error'
      ? 'Composition.status "entered-in-error" cancels a record and needs relatesTo {code "replaces", targetReference "Composition/<id>"}; a new document must be "final".'
      : 'Composition.status must be "final" on submission ("entered-in-error" only to cancel a record, with relatesTo).',
  );
  return undefined;
};

/** The type code names the model's record type (and so matches the section content). */
const checkType = (ctx: RuleContext, envelope: Envelope, model: ModelSpec): void => {
  const site = siteOf(envelope.composition, '.type.coding[0]');
  const type = codedFromCoding(ctx, site, firstCoding(objectAt(envelope.composition.resource, 'type')), [
    CODE_SYSTEMS.TIPO_DOCUMENTO,
  ]);
  if (type === undefined || type.code === model.recordType) return;
  ctx.problems.error(
    'NEXO_ERR_VALIDATION_PROFILE',
    `${site.path}.code`,
    `${site.label}.code must be "${model.recordType}" for ${canonicalName(model.compositionProfile)}: the type must match the section content (${model.clinicalType}).`,
  );
};

/** Reads and checks the Composition-level facts: type, status, author, subject, date, relatesTo. */
export const readDocumentFacts = (ctx: RuleContext, envelope: Envelope, model: ModelSpec): DocumentFacts => {
  const { bundle, composition } = envelope;
  const resource = composition.resource;
  checkType(ctx, envelope, model);
  checkRecordDate(ctx, { path: 'Bundle.timestamp', label: 'Bundle.timestamp' }, bundle.timestamp, 'instant');
  const documentDate = stringAt(resource, 'date');
  checkRecordDate(ctx, siteOf(composition, '.date'), documentDate, 'dayOrDateTime');
  const identifier = objectAt(bundle, 'identifier');
  const system = stringAt(identifier, 'system');
  const value = stringAt(identifier, 'value');
  const target = stringAt(
    objectAt(objectIn(arrayAt(resource, 'relatesTo'), 0), 'targetReference'),
    'reference',
  );
  return {
    bundleIdentifier: system !== undefined && value ? { system, value } : undefined,
    author: partyOf(objectAt(objectIn(arrayAt(resource, 'author'), 0), 'identifier')),
    subject: readCitizenId(
      ctx,
      siteOf(composition, '.subject.identifier'),
      objectAt(objectAt(resource, 'subject'), 'identifier'),
    ),
    status: readStatus(ctx, envelope),
    replaces: target === undefined ? undefined : RECORD_ID.exec(target)?.[1],
    documentDate,
  };
};
