import { CATALOGUE_SYSTEMS, CODE_SYSTEMS, EXTENSIONS } from '../canonical.ts';
import type { Coded, RdmDispensation, RdmSummary } from '../document.ts';
import { arrayAt, firstCoding, numberAt, objectAt, objectIn, stringAt } from '../json.ts';
import { child, siteOf, type Entry, type RuleContext } from '../rules/context.ts';
import { checkRecordDate } from '../rules/dates.ts';
import { checkText } from '../rules/texts.ts';
import type { Envelope } from '../rules/envelope.ts';
import type { ResolveReference } from '../rules/references.ts';
import { codedFromCoding } from '../terminology/bindings.ts';
import { defined } from './defined.ts';
import { extensionsWithUrl, singleExtension } from './extensions.ts';

interface MedicationFacts {
  readonly medication: Coded;
  readonly form?: Coded;
}

const MEDICINE_CATALOGUES = [
  CATALOGUE_SYSTEMS.OBM_CATMAT,
  CATALOGUE_SYSTEMS.OBM_EAN,
  CATALOGUE_SYSTEMS.OBM_ANVISA,
  CATALOGUE_SYSTEMS.OBM_AMPP,
  CATALOGUE_SYSTEMS.OBM_VMP,
];

const readMedication = (ctx: RuleContext, entry: Entry): MedicationFacts | undefined => {
  const medication = codedFromCoding(
    ctx,
    siteOf(entry, '.code.coding[0]'),
    firstCoding(entry.resource.code),
    MEDICINE_CATALOGUES,
  );
  const form = codedFromCoding(ctx, siteOf(entry, '.form.coding[0]'), firstCoding(entry.resource.form), [
    CODE_SYSTEMS.UNIDADE_MEDIDA,
  ]);
  return medication === undefined ? undefined : defined({ medication, form });
};

/** BRValorMedicamento: the productValue sub-extension's valueMoney.value (in BRL). */
const readPrice = (ctx: RuleContext, entry: Entry): number | undefined => {
  const owner = siteOf(entry, '');
  const valor = singleExtension(ctx, owner, entry.resource, EXTENSIONS.VALOR_MEDICAMENTO, undefined);
  const productValue = valor && extensionsWithUrl(valor.site, valor.extension, 'productValue')[0];
  return numberAt(objectAt(productValue?.extension, 'valueMoney'), 'value');
};

const readDispensation = (
  ctx: RuleContext,
  entry: Entry,
  resolve: ResolveReference,
  medications: ReadonlyMap<number, MedicationFacts | undefined>,
): RdmDispensation | undefined => {
  const dispense = entry.resource;
  const owner = siteOf(entry, '');
  const prescription = singleExtension(
    ctx,
    owner,
    dispense,
    EXTENSIONS.DATA_PRESCRICAO,
    'NEXO_ERR_VALIDATION_REQUIRED',
  );
  const prescribedAt = stringAt(prescription?.extension, 'valueDateTime');
  if (prescription)
    checkRecordDate(ctx, child(prescription.site, '.valueDateTime'), prescribedAt, 'dayOrDateTime');
  const programme = codedFromCoding(
    ctx,
    siteOf(entry, '.category.coding[0]'),
    firstCoding(dispense.category),
    [CODE_SYSTEMS.MODALIDADE_FINANCEIRA],
  );
  const handedOver = stringAt(dispense, 'whenHandedOver');
  checkRecordDate(ctx, siteOf(entry, '.whenHandedOver'), handedOver, 'dayOrDateTime');
  const medicationEntry = resolve(stringAt(objectAt(dispense, 'medicationReference'), 'reference'));
  const medication = medicationEntry === undefined ? undefined : medications.get(medicationEntry.index);
  const quantity = objectAt(dispense, 'quantity');
  const amount = numberAt(quantity, 'value');
  const unit = stringAt(quantity, 'unit');
  checkText(ctx.problems, siteOf(entry, '.quantity.unit'), unit, 'code');
  // The model's place for the usage guidance ("orientação de uso") is note (0..1), not dosageInstruction (0..0).
  const dosageText = stringAt(objectIn(arrayAt(dispense, 'note'), 0), 'text');
  checkText(ctx.problems, siteOf(entry, '.note[0].text'), dosageText, 'text');
  const price = readPrice(ctx, entry);
  if (!medication || !programme || !handedOver || !prescribedAt || amount === undefined) return undefined;
  return defined({
    medication: medication.medication,
    form: medication.form,
    quantity: defined({ value: amount, unit }),
    handedOver,
    prescribedAt,
    programme,
    dosageText,
    price,
  });
};

/** Checks every MedicationDispense and Medication of an RDM document and extracts the dispensations. */
export const readRdm = (
  ctx: RuleContext,
  envelope: Envelope,
  resolve: ResolveReference,
): RdmSummary | undefined => {
  const medications = new Map<number, MedicationFacts | undefined>();
  for (const entry of envelope.entries) {
    if (entry.resourceType === 'Medication') medications.set(entry.index, readMedication(ctx, entry));
  }
  const dispensations: RdmDispensation[] = [];
  let complete = true;
  for (const entry of envelope.entries) {
    if (entry.resourceType !== 'MedicationDispense') continue;
    const dispensation = readDispensation(ctx, entry, resolve, medications);
    if (dispensation) dispensations.push(dispensation);
    else complete = false;
  }
  return complete && dispensations.length > 0 ? { recordType: 'RDM', dispensations } : undefined;
};
