import type { Problem, ValidatedDocument } from '@nexo/fhir';
import { mayAuthorAs, type EstablishmentState } from '@nexo/auth';

/**
 * What the author check needs: one establishment's registration. The hub passes its registration
 * cache (`Security.registrations`), so a lab authoring every REL under its CNPJ costs one registry
 * read a second, not one a document; a list changed by another process applies within a second.
 */
export interface RegistrationLookUp {
  lookUp(cnes: string): Promise<Pick<EstablishmentState, 'active' | 'authors'>>;
}

const AUTHOR_PATH = 'Bundle.entry[0].resource.author[0].identifier';

const forbidden = (message: string): Problem => ({
  code: 'NEXO_ERR_FORBIDDEN',
  expression: AUTHOR_PATH,
  message,
});

/**
 * Whether `Composition.author` is the establishment the token was issued to: its CNES (compared
 * with the token, no I/O: the common case), or — REL only, the validator allows nothing else — a
 * CNPJ or CNS the sender's registration lists (read through the registration cache). Undefined when it is; the 403
 * problem, saying how to fix it, when it is not. The CNS named is a professional's, never the
 * citizen's, so the message may repeat it.
 */
export const checkAuthor = async (
  registry: RegistrationLookUp,
  sender: string,
  author: ValidatedDocument['author'],
): Promise<Problem | undefined> => {
  if (author.kind === 'CNES')
    return author.number === sender
      ? undefined
      : forbidden(
          `Composition.author must be the establishment the token was issued to (CNES ${sender}); send CNES ${author.number}'s documents with its own token.`,
        );
  const { kind, number } = author;
  const registration = await registry.lookUp(sender);
  if (mayAuthorAs(registration, { kind, number })) return undefined;
  const flag = `--${kind.toLowerCase()} ${number}`;
  return forbidden(
    registration.active
      ? `Composition.author ${kind} ${number} is not registered for CNES ${sender}: name the CNES ${sender} as author, or have the hub operator list it (pnpm establishment:authors --cnes ${sender} ${flag}, which sets the whole list, or PUT /admin/v1/establishments/${sender}/authors).`
      : `Composition.author ${kind} ${number} is not registered for CNES ${sender}, which has no active registration: name the CNES ${sender} as author, or have the hub operator register it with the identity (pnpm establishment:add --cnes ${sender} --name <name> ${flag}).`,
  );
};
