import type { CitizenId } from '@nexo/identifiers';
import { objectAt } from '../json.ts';
import { readCitizenId, sameCitizen } from './citizen.ts';
import { siteOf, type RuleContext } from './context.ts';
import type { Envelope } from './envelope.ts';

/** The element of each resource that names the citizen (a Map: looked up with the sender's resourceType). */
const CITIZEN_ELEMENT: ReadonlyMap<string, string> = new Map([
  ['Immunization', 'patient'],
  ['Observation', 'subject'],
  ['MedicationDispense', 'subject'],
  ['Specimen', 'subject'],
  ['Condition', 'subject'],
]);

/**
 * Every resource that names a citizen names the Composition's subject: the same kind of number (CNS
 * or CPF) and the same number, whatever accepted system each uses.
 */
export const checkSubjects = (ctx: RuleContext, envelope: Envelope, subject: CitizenId | undefined): void => {
  for (const entry of envelope.entries) {
    const element = CITIZEN_ELEMENT.get(entry.resourceType);
    const reference = element === undefined ? undefined : objectAt(entry.resource, element);
    if (reference === undefined) continue; // required ones are reported by the schema
    const site = siteOf(entry, `.${element}.identifier`);
    const citizen = readCitizenId(ctx, site, objectAt(reference, 'identifier'));
    if (citizen === undefined || subject === undefined || sameCitizen(citizen, subject)) continue;
    ctx.problems.error(
      'NEXO_ERR_BUSINESS_RULE',
      `${site.path}.value`,
      `${site.label} must name the same citizen as Composition.subject.identifier (same kind of number, same number): one document is about one citizen.`,
    );
  }
};
