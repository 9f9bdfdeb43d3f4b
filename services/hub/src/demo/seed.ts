import { existsSync, readdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { rdmBundle, relBundle, riaBundle, type SyntheticBundle } from '@nexo/testkit/synthetic';

/** The demo's senders: the national examples' CNES codes, so the README's curl lines add to the same data. */
export const DEMO_ESTABLISHMENTS = {
  ubs: { cnes: '9990011', name: 'UBS Vila Nova (vaccination room)' },
  lab: { cnes: '9990022', name: 'Laboratório Central (lab results)' },
  pharmacy: { cnes: '9990033', name: 'Farmácia Centro (dispensations)' },
} as const;

/** The demo's citizens, with valid check digits; documents about each carry the number shown. */
export const DEMO_CITIZENS = [
  { name: 'Maria', kind: 'CNS', number: '266764941990004' },
  { name: 'João', kind: 'CPF', number: '43661268260' },
  { name: 'Ana', kind: 'CNS', number: '202279972240018' },
] as const;

export type DemoCitizen = (typeof DEMO_CITIZENS)[number];

const DAY = 86_400_000;
const [maria, joao, ana] = DEMO_CITIZENS;
const { ubs, lab, pharmacy } = DEMO_ESTABLISHMENTS;

interface DemoDocument {
  readonly sender: string;
  readonly bundle: SyntheticBundle;
}

/** A few months of care, dated back from `now` so that nothing is in the future. */
export const demoDocuments = (now: Date): DemoDocument[] => {
  // `hour` o'clock in Brasília (UTC-3), `days` before today.
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const ago = (days: number, hour = 10) => today - days * DAY + (hour + 3) * 3_600_000;
  const vaccinator = '106418870190007';
  const manufacturers: Readonly<Record<string, string>> = {
    '87': '142',
    '77': '152',
    '9': '152',
    '14': '149',
  };
  const vaccine = (
    id: string,
    citizen: DemoCitizen,
    days: number,
    code: string,
    dose: string,
    lot: string,
  ) => ({
    sender: ubs.cnes,
    bundle: riaBundle({
      identifier: id,
      sender: ubs.cnes,
      citizen: citizen.number,
      occurredAtMs: ago(days),
      vaccine: code,
      dose,
      lot,
      manufacturer: manufacturers[code] ?? '142',
      vaccinator,
      site: '2',
      route: '3',
      group: '000201',
    }),
  });
  const exam = (id: string, citizen: DemoCitizen, days: number, loinc: string, result: string) => ({
    sender: lab.cnes,
    bundle: relBundle({
      identifier: id,
      sender: lab.cnes,
      citizen: citizen.number,
      issuedAtMs: ago(days, 15),
      exam: loinc,
      result,
      specimen: 'SWNAFA',
    }),
  });
  const medicine = (
    id: string,
    citizen: DemoCitizen,
    days: number,
    quantity: number,
    programme: '01' | '02',
  ) => ({
    sender: pharmacy.cnes,
    bundle: rdmBundle({
      identifier: id,
      sender: pharmacy.cnes,
      citizen: citizen.number,
      handedOverAtMs: ago(days, 11),
      prescribedDaysBefore: 3,
      quantity,
      programme,
      pharmacist: '246401045900009',
    }),
  });
  return [
    vaccine('demo-ria-maria-covid-1', maria, 120, '87', '1', 'FP8841'),
    vaccine('demo-ria-maria-covid-2', maria, 90, '87', '2', 'FP9012'),
    vaccine('demo-ria-maria-flu', maria, 20, '77', '9', 'INF25B031'),
    exam('demo-rel-maria-pcr', maria, 45, '94309-2', '2'),
    medicine('demo-rdm-maria', maria, 10, 30, '01'),
    vaccine('demo-ria-joao-hb', joao, 60, '9', '1', 'HB24A117'),
    medicine('demo-rdm-joao', joao, 5, 60, '02'),
    vaccine('demo-ria-ana-fa', ana, 200, '14', '9', 'FA23C045'),
    exam('demo-rel-ana-pcr', ana, 15, '94309-2', '1'),
  ];
};

/** The embedded engines' folder has nothing in it yet: a first start. */
export const isEmptyDataDir = (dir: string): boolean => !existsSync(dir) || readdirSync(dir).length === 0;

/**
 * Submits the demo documents through the real ingest route (HTTP semantics via `inject`: the
 * sender's token, validation, the decision, the durable append), as a sender would. Throws when
 * one is not accepted, naming it, since the demo would then show less than the README says.
 */
export const seedDemo = async (app: FastifyInstance, now: Date): Promise<number> => {
  const documents = demoDocuments(now);
  for (const { sender, bundle } of documents) {
    const response = await app.inject({
      method: 'POST',
      url: '/fhir/r4/Bundle',
      headers: {
        'content-type': 'application/fhir+json',
        authorization: `Bearer dev-establishment-${sender}`,
      },
      payload: JSON.stringify(bundle),
    });
    if (response.statusCode !== 201)
      throw new Error(
        `demo document ${bundle.identifier.value} was answered ${response.statusCode}: ${response.body}`,
      );
  }
  return documents.length;
};
