import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  isObject,
  modelForCompositionProfile,
  profileBaseType,
  successOutcome,
  type DocumentValidator,
  type Problem,
} from '@nexo/fhir';
import type { Authenticator } from '@nexo/auth';
import { CAPABILITY_FORMATS, FHIR_JSON, attachSchemas, routesOf, sendProblems } from '@nexo/runtime';
import { checkAuthor, type RegistrationLookUp } from './author-check.ts';
import { capabilityStatement, profilesByType } from './capability.ts';
import { FHIR_BASES } from './routes.ts';
import { fhirOperationSchemas } from './schemas.ts';
import { publicOriginOf } from './public-origin.ts';

export interface FhirOperationDeps {
  readonly validator: DocumentValidator;
  readonly clock: () => Date;
  readonly auth: Authenticator;
  readonly registry: RegistrationLookUp;
  /** The hub's public URL (NEXO_PUBLIC_URL); without it the statement names the address asked. */
  readonly publicUrl?: string;
}

const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** `$validate` modes Nexo performs: none (general) and `create`, which here are the same checks. */
const VALIDATE_MODES = new Set(['create']);

/**
 * The FHIR conformance surface of the sender API: `GET [base]/metadata` (the CapabilityStatement,
 * public as FHIR expects) and `POST [base]/Bundle/$validate` (validates as a create would and
 * stores nothing), under every FHIR base.
 */
export const fhirOperationRoutes = (deps: FhirOperationDeps) => async (app: FastifyInstance) => {
  app.addHook('onRoute', attachSchemas(fhirOperationSchemas(FHIR_BASES)));
  const startedAt = deps.clock().toISOString();
  // Throws here, at start-up, when a profile's resource type is unknown (never a statement without it).
  const profiles = profilesByType(deps.validator.profiles, profileBaseType);

  for (const base of FHIR_BASES) {
    app.get(`${base}/metadata`, async (request, reply) =>
      reply.type(`${FHIR_JSON}; charset=utf-8`).send(
        capabilityStatement({
          base,
          origin: publicOriginOf(request, deps.publicUrl),
          routes: routesOf(app),
          profiles,
          codeSystems: deps.validator.codeSystems.length,
          formats: CAPABILITY_FORMATS,
          date: startedAt,
          software: { name: 'Nexo', version: PACKAGE.version },
        }),
      ),
    );

    app.post<{ Querystring: { mode?: string; profile?: string } }>(
      `${base}/Bundle/$validate`,
      async (request, reply) => {
        const sender = await deps.auth.establishment(request);
        const input = readValidateInput(request);
        const problems = [...checkParameters(input, deps.validator.profiles)];
        if (problems.length === 0) {
          const result = deps.validator.validate(input.resource, { now: deps.clock() });
          const notAuthor = result.ok
            ? await checkAuthor(deps.registry, sender, result.document.author)
            : undefined;
          const otherModel = result.ok ? modelMismatch(input.profile, result.document) : undefined;
          // Not push(...problems): a 1 MB document can break a rule some hundred thousand times,
          // more arguments than a call takes (a RangeError, answered 500).
          if (!result.ok) for (const problem of result.problems) problems.push(problem);
          else if (notAuthor) problems.push(notAuthor);
          else if (otherModel) problems.push(otherModel);
          else {
            const { recordType, model, warnings } = result.document;
            return reply
              .type(`${FHIR_JSON}; charset=utf-8`)
              .send(
                successOutcome(
                  `valid ${recordType} document (model ${model}): a POST to Bundle would accept it, unless its Bundle.identifier was already used for other content. Nothing was stored.`,
                  warnings,
                ),
              );
          }
        }
        // The operation ran and the document is not acceptable: 422, whatever problem was found.
        return sendProblems(reply, problems, 422);
      },
    );
  }
};

interface ValidateInput {
  readonly resource: unknown;
  readonly mode?: string;
  readonly profile?: string;
  /** Where the resource came from, for the FHIRPath of a missing one. */
  readonly wrapped: boolean;
  /** What is wrong with the Parameters body itself (a parameter the operation does not define, …). */
  readonly problems: readonly Problem[];
}

/**
 * The IN parameters of Resource/$validate (FHIR R4), each 0..1: the resource, and `mode` (a code)
 * and `profile` (a uri), read from any of these string types.
 */
const VALIDATE_PARAMETERS = ['resource', 'mode', 'profile'] as const;
type ValidateParameter = (typeof VALIDATE_PARAMETERS)[number];
const TEXT_VALUES = ['valueCode', 'valueString', 'valueUri', 'valueCanonical'] as const;

/** What a parameter carries: a value[x], a resource or parts (one of them, FHIR's prm-1). */
const CARRIES = /^(?:value[A-Z]|resource$|part$)/;

const isValidateParameter = (name: unknown): name is ValidateParameter =>
  VALIDATE_PARAMETERS.some((known) => known === name);

/** The body is the resource itself, or a Parameters resource with `resource`, `mode`, `profile`. */
const readValidateInput = (
  request: FastifyRequest<{ Querystring: { mode?: string; profile?: string } }>,
): ValidateInput => {
  const body = request.body as { resourceType?: unknown; parameter?: unknown } | null | undefined;
  const { mode, profile } = request.query;
  if (body?.resourceType !== 'Parameters')
    return {
      resource: body,
      wrapped: false,
      problems: [],
      // An empty `?mode=` or `?profile=` is a value (refused below), not an absent one: taken as
      // absent, a profile the sender's software failed to fill in silently checked nothing.
      ...(mode === undefined ? {} : { mode }),
      ...(profile === undefined ? {} : { profile }),
    };
  const { values, problems } = readParameters(body.parameter);
  const innerMode = values.mode ?? mode;
  const innerProfile = values.profile ?? profile;
  return {
    resource: values.resource,
    wrapped: true,
    problems,
    ...(innerMode === undefined ? {} : { mode: innerMode }),
    ...(innerProfile === undefined ? {} : { profile: innerProfile }),
  };
};

/**
 * Reads `Parameters.parameter`, refusing what the operation does not define rather than checking
 * something else than the sender meant: a name other than resource, mode and profile, one given
 * twice, or one without a value of its type. Each problem names the parameter.
 */
const readParameters = (
  list: unknown,
): { values: { resource?: unknown; mode?: string; profile?: string }; problems: Problem[] } => {
  const problems: Problem[] = [];
  const values: { resource?: unknown; mode?: string; profile?: string } = {};
  if (list !== undefined && !Array.isArray(list)) {
    problems.push({
      code: 'NEXO_ERR_VALIDATION_STRUCTURE',
      expression: 'Parameters.parameter',
      message: 'Parameters.parameter must be an array of parameters.',
    });
    return { values, problems };
  }
  const parameters: readonly unknown[] = list ?? [];
  const first = new Map<ValidateParameter, number>();
  parameters.forEach((parameter, i) => {
    const at = `Parameters.parameter[${i}]`;
    const name = isObject(parameter) ? parameter.name : undefined;
    if (!isObject(parameter) || !isValidateParameter(name)) {
      problems.push({
        code: 'NEXO_ERR_VALIDATION_STRUCTURE',
        expression: at,
        message: `${at} ${typeof name === 'string' ? `is named ${JSON.stringify(name.slice(0, 32))}, which` : 'has no name, and'} Resource/$validate does not define: its parameters are resource, mode and profile.`,
      });
      return;
    }
    const earlier = first.get(name);
    if (earlier !== undefined) {
      problems.push({
        code: 'NEXO_ERR_VALIDATION_PROFILE',
        expression: at,
        message: `${at} repeats the parameter ${name} of Parameters.parameter[${earlier}]: $validate takes at most one ${name}${name === 'resource' ? ' (send one document per request)' : ''}.`,
      });
      return;
    }
    first.set(name, i);
    const carried = Object.keys(parameter).filter((key) => CARRIES.test(key));
    if (carried.length > 1) {
      problems.push({
        code: 'NEXO_ERR_VALIDATION_STRUCTURE',
        expression: at,
        message: `${at} carries ${carried.slice(0, 4).join(' and ')}: a parameter has one of value[x], resource and part (FHIR prm-1), so which one to check cannot be told.`,
      });
      return;
    }
    if (name === 'resource') {
      if (isObject(parameter.resource)) values.resource = parameter.resource;
      else
        problems.push({
          code: 'NEXO_ERR_VALIDATION_REQUIRED',
          expression: `${at}.resource`,
          message: `${at} is the resource parameter and must carry the document in resource.`,
        });
      return;
    }
    // An empty string is no FHIR value: such a parameter has none.
    const text = TEXT_VALUES.map((key) => parameter[key]).find((value) => typeof value === 'string');
    if (typeof text === 'string' && text !== '') values[name] = text;
    else
      problems.push({
        code: 'NEXO_ERR_VALIDATION_REQUIRED',
        expression: at,
        message: `${at} is the ${name} parameter and needs its value in ${name === 'mode' ? 'valueCode' : 'valueUri (or valueCanonical)'}.`,
      });
  });
  return { values, problems };
};

const checkParameters = (input: ValidateInput, profiles: readonly string[]): Problem[] => {
  // A malformed Parameters body is answered alone: its values may not be what the sender meant.
  if (input.problems.length > 0) return [...input.problems];
  const problems: Problem[] = [];
  if (input.wrapped && input.resource === undefined)
    problems.push({
      code: 'NEXO_ERR_VALIDATION_REQUIRED',
      expression: 'Parameters.parameter',
      message: 'Parameters must carry the document in a parameter named resource.',
    });
  if (input.mode !== undefined && !VALIDATE_MODES.has(input.mode))
    problems.push({
      code: 'NEXO_ERR_VALIDATION_CODE',
      expression: 'mode',
      message: `mode ${input.mode.slice(0, 32) || '(empty)'} is not supported: omit it or use create (documents are never updated or deleted).`,
    });
  if (input.profile !== undefined && !profiles.includes(input.profile))
    problems.push({
      code: 'NEXO_ERR_VALIDATION_PROFILE',
      expression: 'profile',
      message: 'profile names no profile this hub validates against (see supportedProfile in metadata).',
    });
  else if (input.profile !== undefined && modelForCompositionProfile(input.profile) === undefined)
    problems.push({
      code: 'NEXO_ERR_VALIDATION_PROFILE',
      expression: 'profile',
      message: `profile ${input.profile} constrains ${profileBaseType(input.profile) ?? 'an entry'}, not a document: a Bundle is checked against the Composition profile of its document model (Composition.supportedProfile in metadata).`,
    });
  return problems;
};

/**
 * A document that is valid, but as another model than the one `profile` asked for: a POST would
 * store it as the model it is, so the check the sender asked for fails.
 */
const modelMismatch = (
  profile: string | undefined,
  document: { readonly model: string; readonly recordType: string },
): Problem | undefined => {
  const wanted = profile === undefined ? undefined : modelForCompositionProfile(profile);
  if (wanted === undefined || wanted.id === document.model) return undefined;
  return {
    code: 'NEXO_ERR_VALIDATION_PROFILE',
    expression: 'Bundle.entry[0].resource.meta.profile',
    message: `the document is a valid ${document.recordType} of model ${document.model}, not of model ${wanted.id} (${profile}); a Composition without meta.profile is read as the current model of its type.`,
  };
};
