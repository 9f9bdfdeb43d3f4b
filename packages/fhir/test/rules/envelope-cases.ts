import { at, BASES, COMPOSITION, FIRST, FUTURE, remove, SECOND, set, type RuleCase } from './case.ts';

const { ria, rel } = BASES;

export const ENVELOPE_CASES: RuleCase[] = [
  {
    rule: 'Bundle.type is document',
    document: ria,
    change: set('type', 'collection'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', 'Bundle.type']],
  },
  {
    rule: 'Bundle.timestamp is required',
    document: ria,
    change: remove('timestamp'),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', 'Bundle.timestamp']],
  },
  {
    rule: 'Bundle.timestamp is an instant with seconds and offset',
    document: ria,
    change: set('timestamp', '2025-03-10T09:42-03:00'),
    errors: [['NEXO_ERR_VALIDATION_DATE', 'Bundle.timestamp']],
  },
  {
    rule: 'Bundle.timestamp is not in the future',
    document: ria,
    change: set('timestamp', FUTURE),
    errors: [['NEXO_ERR_VALIDATION_DATE', 'Bundle.timestamp']],
  },
  {
    rule: 'Bundle.timestamp is not before 1900',
    document: ria,
    change: set('timestamp', '1899-12-31T23:59:59-03:00'),
    errors: [['NEXO_ERR_VALIDATION_DATE', 'Bundle.timestamp']],
  },
  {
    rule: 'Bundle.identifier is required',
    document: ria,
    change: remove('identifier'),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', 'Bundle.identifier']],
  },
  {
    rule: 'Bundle.identifier.system is the BRRNDS-<solicitante> naming system (EHR-ERR881)',
    document: ria,
    change: set('identifier.system', 'http://sender.example.org/ids'),
    errors: [['NEXO_ERR_UNKNOWN_SOLICITANTE', 'Bundle.identifier.system']],
  },
  {
    rule: 'the solicitante id is numeric (EHR-ERR881)',
    document: ria,
    change: set('identifier.system', 'http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-'),
    errors: [['NEXO_ERR_UNKNOWN_SOLICITANTE', 'Bundle.identifier.system']],
  },
  {
    rule: 'Bundle.identifier.value is not empty',
    document: ria,
    change: set('identifier.value', ''),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', 'Bundle.identifier.value']],
  },
  {
    rule: 'Bundle.identifier.value is not only white space',
    document: ria,
    change: set('identifier.value', '   '),
    errors: [['NEXO_ERR_VALIDATION_REQUIRED', 'Bundle.identifier.value']],
  },
  {
    rule: 'Bundle.identifier.value has no leading white space (a padded id names another document)',
    document: ria,
    change: set('identifier.value', ' UBS9990011-RIA-2025-000101'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', 'Bundle.identifier.value']],
  },
  {
    rule: 'Bundle.identifier.value has no trailing white space',
    document: ria,
    change: set('identifier.value', 'UBS9990011-RIA-2025-000101\t'),
    errors: [['NEXO_ERR_VALIDATION_IDENTIFIER', 'Bundle.identifier.value']],
  },
  {
    rule: 'Bundle.identifier.value is Unicode text (no lone surrogate: it would name another identifier’s submission)',
    document: ria,
    change: set('identifier.value', 'UBS9990011-RIA-2025-000101\ud800'),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', 'Bundle.identifier.value']],
  },
  {
    rule: 'a string inside an entry is Unicode text',
    document: ria,
    change: set(`${FIRST}.lotNumber`, 'INF25\udc00B031'),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(`${FIRST}.lotNumber`)]],
  },
  {
    rule: 'a string inside an array’s element is Unicode text',
    document: rel,
    change: set(`${FIRST}.referenceRange[0].text`, 'N\udbffão detectável'),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(`${FIRST}.referenceRange[0].text`)]],
  },
  {
    rule: 'a string item of an array is Unicode text',
    document: ria,
    change: set(`${FIRST}.meta.profile[1]`, 'http://example.org/\ud800'),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(`${FIRST}.meta.profile[1]`)]],
  },
  {
    rule: 'Bundle.identifier.value has at most 256 characters',
    document: ria,
    change: set('identifier.value', 'x'.repeat(100_000)),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', 'Bundle.identifier.value']],
  },
  {
    rule: 'Bundle.identifier.system has at most 256 characters (the solicitante id too)',
    document: ria,
    change: set(
      'identifier.system',
      `http://www.saude.gov.br/fhir/r4/NamingSystem/BRRNDS-${'9'.repeat(100_000)}`,
    ),
    errors: [['NEXO_ERR_VALIDATION_TOO_LONG', 'Bundle.identifier.system']],
  },
  {
    rule: 'entry[0] is the Composition',
    document: ria,
    change: (bundle) => bundle.entry?.reverse(),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', 'Bundle.entry[0].resource.resourceType']],
  },
  {
    rule: 'a document has one Composition',
    document: ria,
    change: (bundle) =>
      bundle.entry?.push({
        fullUrl: 'urn:uuid:transient-9',
        resource: structuredClone(bundle.entry[0]?.resource),
      }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', 'Bundle.entry[2].resource.resourceType']],
  },
  {
    rule: 'a document holds the Composition and at least one clinical entry',
    document: ria,
    change: remove('entry[1]'),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', 'Bundle.entry'],
      ['NEXO_ERR_VALIDATION_REFERENCE', at(`${COMPOSITION}.section[0].entry[0].reference`)],
    ],
  },
  {
    rule: 'every entry has a fullUrl',
    document: ria,
    change: remove('entry[1].fullUrl'),
    errors: [
      ['NEXO_ERR_VALIDATION_REQUIRED', 'Bundle.entry[1].fullUrl'],
      ['NEXO_ERR_VALIDATION_REFERENCE', at(`${COMPOSITION}.section[0].entry[0].reference`)],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[1]'],
    ],
  },
  {
    rule: 'fullUrls are unique',
    document: rel,
    change: set('entry[2].fullUrl', 'urn:uuid:transient-1'),
    errors: [
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2].fullUrl'],
      ['NEXO_ERR_VALIDATION_REFERENCE', at(`${FIRST}.specimen.reference`)],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'entry.request belongs to transactions, not documents',
    document: ria,
    change: set('entry[1].request', { method: 'POST', url: 'Immunization' }),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', 'Bundle.entry[1].request']],
  },
  {
    rule: 'the body is a Bundle',
    document: ria,
    change: set('resourceType', 'Patient'),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', 'Bundle.resourceType']],
  },
  {
    rule: 'Composition.meta.profile names a model the hub accepts',
    document: ria,
    change: set(`${COMPOSITION}.meta.profile`, ['http://example.org/fhir/StructureDefinition/Other']),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(`${COMPOSITION}.meta.profile`)]],
  },
  {
    rule: 'a clinical resource declares the profile of its model',
    document: ria,
    change: set(`${FIRST}.meta.profile`, [
      'http://www.saude.gov.br/fhir/r4/StructureDefinition/BRImunobiologicoAdministrado-1.0',
    ]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(`${FIRST}.meta.profile`)]],
  },
  {
    rule: 'entries hold only the resource types of the model',
    document: ria,
    change: set('entry[2]', { fullUrl: 'urn:uuid:transient-2', resource: { resourceType: 'Patient' } }),
    errors: [
      ['NEXO_ERR_VALIDATION_PROFILE', at(`${SECOND}.resourceType`)],
      ['NEXO_ERR_VALIDATION_REFERENCE', 'Bundle.entry[2]'],
    ],
  },
  {
    rule: 'contained resources are not allowed (every resource is an entry)',
    document: ria,
    change: set(`${FIRST}.contained`, [{ resourceType: 'Organization', id: 'x' }]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(`${FIRST}.contained`)]],
  },
  {
    rule: 'modifierExtension is not allowed (the hub would not understand it)',
    document: ria,
    change: set(`${FIRST}.modifierExtension`, [{ url: 'http://example.org/x', valueBoolean: true }]),
    errors: [['NEXO_ERR_VALIDATION_PROFILE', at(`${FIRST}.modifierExtension`)]],
  },
  {
    rule: 'an element FHIR R4 does not define is rejected (typo)',
    document: ria,
    change: set(`${FIRST}.lotNumer`, 'INF25B031'),
    errors: [['NEXO_ERR_VALIDATION_STRUCTURE', at(`${FIRST}.lotNumer`)]],
  },
];
