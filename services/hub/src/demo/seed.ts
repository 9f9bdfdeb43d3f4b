import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
      route: '10916',
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

/** A demo load under way, holding the date its documents are built from. */
const PENDING_FILE = 'demo-pending';

/**
 * The date to build the demo documents from, when there is a demo to load: on a first start, or
 * when a load did not finish (stopped, or a document refused). Its date is kept in the data folder
 * until `demoLoaded`: the same date gives the same documents, which the hub then takes as resends
 * of those already in, so a load can be run again until it finishes.
 */
export const demoToLoad = (dir: string, firstStart: boolean, now: Date): Date | undefined => {
  const pending = join(dir, PENDING_FILE);
  if (existsSync(pending)) {
    const date = new Date(readFileSync(pending, 'utf8').trim());
    if (!Number.isNaN(date.getTime())) return date;
  } else if (!firstStart) return undefined;
  mkdirSync(dir, { recursive: true });
  writeFileSync(pending, now.toISOString());
  return now;
};

/** The demo is in: later starts leave it alone. */
export const demoLoaded = (dir: string): void => rmSync(join(dir, PENDING_FILE), { force: true });

/** A 422 saying the identifier already holds a document of other content. */
const heldByEarlierDemo = (response: { statusCode: number; json(): unknown }): boolean => {
  if (response.statusCode !== 422) return false;
  const { issue } = response.json() as {
    issue?: Array<{ details?: { coding?: Array<{ code?: string }> } }>;
  };
  return (issue ?? []).some((i) => i.details?.coding?.some((c) => c.code === 'NEXO_ERR_IDENTIFIER_CONFLICT'));
};

/**
 * Submits the demo documents through the real ingest route (HTTP semantics via `inject`: the
 * sender's token, its rate limit, validation, the decision, the durable append), as a sender
 * would: over its rate limit, it waits as long as `Retry-After` says. An identifier that holds
 * another document already, one an earlier release's unfinished load sent, keeps it. Throws when a
 * document is refused otherwise, naming it, since the demo would then show less than the README says.
 */
export const seedDemo = async (app: FastifyInstance, now: Date): Promise<number> => {
  const documents = demoDocuments(now);
  for (const { sender, bundle } of documents) {
    for (;;) {
      const response = await app.inject({
        method: 'POST',
        url: '/fhir/r4/Bundle',
        headers: {
          'content-type': 'application/fhir+json',
          authorization: `Bearer dev-establishment-${sender}`,
        },
        payload: JSON.stringify(bundle),
      });
      if (response.statusCode === 201) break;
      if (heldByEarlierDemo(response)) {
        // A load an earlier release left unfinished: its document under this identifier (built
        // before that release's demo changed, e.g. RIA 1.0's route code 3) is in, and is shown.
        app.log.info(`demo data: ${bundle.identifier.value} holds an earlier release's demo document; kept`);
        break;
      }
      if (response.statusCode === 429) {
        const seconds = Math.max(1, Number(response.headers['retry-after']) || 1);
        app.log.info(`demo data: waiting ${seconds} s for the sender's rate limit (NEXO_RATE_LIMIT)`);
        await sleep(seconds * 1000);
        continue;
      }
      throw new Error(
        `demo document ${bundle.identifier.value} was answered ${response.statusCode}: ${response.body}`,
      );
    }
  }
  return documents.length;
};
