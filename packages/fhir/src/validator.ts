import { fileURLToPath } from 'node:url';
import { CODE_SYSTEMS } from './canonical.ts';
import type {
  DocumentValidator,
  RdmSummary,
  RelSummary,
  RiaSummary,
  ValidatedDocument,
  ValidateOptions,
  ValidationResult,
} from './document.ts';
import { ALL_PROFILES, type ModelSpec } from './models.ts';
import { Problems } from './problems.ts';
import { readRdm } from './records/rdm.ts';
import { readRel } from './records/rel.ts';
import { readRia } from './records/ria.ts';
import { readDocumentFacts } from './rules/composition.ts';
import { checkConformance } from './rules/conformance.ts';
import { checkElementShape } from './rules/element-shape.ts';
import type { RuleContext } from './rules/context.ts';
import { checkEnvelope, type Envelope } from './rules/envelope.ts';
import { selectModel } from './rules/model-selection.ts';
import { checkReferences, type ResolveReference } from './rules/references.ts';
import { checkSubjects } from './rules/subject.ts';
import { loadProfileSchemas, type ProfileSchemas } from './schema/profile-schemas.ts';
import { loadTerminology, type Terminology } from './terminology/terminology.ts';

/** The repository's schemas/ folder, found from this file so that it works from any working directory. */
const DEFAULT_PROFILES_DIR = fileURLToPath(new URL('../../../schemas/profiles/', import.meta.url));
const DEFAULT_TERMINOLOGY_DIR = fileURLToPath(new URL('../../../schemas/terminology/', import.meta.url));

type Summary = RiaSummary | RelSummary | RdmSummary;

const readSummary = (
  ctx: RuleContext,
  envelope: Envelope,
  model: ModelSpec,
  resolve: ResolveReference,
): Summary | undefined => {
  switch (model.id) {
    case 'REL-1.1':
    case 'REL-1.0':
      return readRel(ctx, envelope, resolve);
    case 'RDM':
      return readRdm(ctx, envelope, resolve);
    default: {
      const immunization = envelope.entries.find((entry) => entry.resourceType === 'Immunization');
      return immunization && readRia(ctx, model.id, envelope.composition, immunization, resolve);
    }
  }
};

/**
 * The rejection. Every missing fact has been reported by the schema or a rule; the fallback problem
 * only guards against a gap, so that a rejection always says something.
 */
const reject = (problems: Problems, what: string): ValidationResult => {
  if (!problems.hasErrors) {
    problems.error('NEXO_ERR_VALIDATION_PROFILE', 'Bundle', `Bundle cannot be read as ${what}.`);
  }
  return { ok: false, problems: problems.all() };
};

const validateDocument = (
  input: unknown,
  nowMs: number,
  schemas: ProfileSchemas,
  terminology: Terminology,
): ValidationResult => {
  const problems = new Problems();
  const ctx: RuleContext = { problems, terminology, nowMs };
  const envelope = checkEnvelope(input, schemas, problems);
  const model = envelope && selectModel(envelope, problems);
  if (!envelope || !model) return reject(problems, 'a national document');
  checkConformance(envelope, model, schemas, problems);
  checkElementShape(envelope, problems);
  const resolve = checkReferences(envelope, model, problems);
  const facts = readDocumentFacts(ctx, envelope, model);
  checkSubjects(ctx, envelope, facts.subject);
  const summary = readSummary(ctx, envelope, model, resolve);
  const { bundleIdentifier, author, subject, status, documentDate, replaces } = facts;
  if (
    problems.hasErrors ||
    !summary ||
    !bundleIdentifier ||
    !author ||
    !subject ||
    !status ||
    !documentDate
  ) {
    return reject(problems, `a ${model.id} record`);
  }
  const document: ValidatedDocument = {
    recordType: model.recordType,
    model: model.id,
    bundleIdentifier,
    author,
    subject,
    status,
    ...(replaces === undefined ? {} : { replaces }),
    documentDate,
    summary,
    warnings: problems.warningList,
  };
  return { ok: true, document };
};

const assertBindingsLoaded = (terminology: Terminology, dir: string): void => {
  const missing = Object.values(CODE_SYSTEMS).filter((system) => !terminology.bySystem.has(system));
  if (missing.length > 0)
    throw new Error(`code systems the profiles bind are missing from ${dir}: ${missing.join(', ')}`);
};

/**
 * Loads the profile schemas and the code systems and compiles everything once. Throws at start-up
 * when a schema or a code system the models need is missing or malformed.
 */
export const createDocumentValidator = (
  options: { terminologyDir?: string; profilesDir?: string } = {},
): DocumentValidator => {
  const profilesDir = options.profilesDir ?? DEFAULT_PROFILES_DIR;
  const terminologyDir = options.terminologyDir ?? DEFAULT_TERMINOLOGY_DIR;
  const schemas = loadProfileSchemas(profilesDir);
  const terminology = loadTerminology(terminologyDir);
  assertBindingsLoaded(terminology, terminologyDir);
  const codeSystems = [...terminology.bySystem.values()].map(({ system, version, codes }) => ({
    system,
    version,
    codes: codes.size,
  }));
  return {
    validate: (input: unknown, options: ValidateOptions) =>
      validateDocument(input, options.now.getTime(), schemas, terminology),
    profiles: ALL_PROFILES,
    codeSystems,
  };
};
