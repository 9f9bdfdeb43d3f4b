import type { DestinationStream } from 'pino';
import { createLogger } from '@nexo/runtime';
import { createHub, type Hub } from '../src/index.ts';
import { REGISTRY_TOKEN, riaBundle } from './hub-harness.ts';

const CS = 'http://www.saude.gov.br/fhir/r4/CodeSystem/';

/** A RIA-R document for a COVID-19 dose; `abroad` makes it a transcription of a dose given in Argentina. */
export const covidBundle = (options: {
  identifier: string;
  cns: string;
  vaccine: string;
  dose: string;
  date: string;
  lot?: string;
  abroad?: boolean;
}): Record<string, unknown> => {
  const bundle = riaBundle({ identifier: options.identifier, cns: options.cns }) as {
    entry: Array<{ resource: Record<string, unknown> }>;
  };
  const immunization = bundle.entry[1]?.resource ?? {};
  immunization.vaccineCode = { coding: [{ system: `${CS}BRImunobiologico`, code: options.vaccine }] };
  immunization.occurrenceDateTime = `${options.date}T10:00:00-03:00`;
  const protocol = (immunization.protocolApplied as Array<Record<string, unknown>>)[0] ?? {};
  protocol.doseNumberString = options.dose;
  if (options.abroad) {
    delete immunization.lotNumber;
    immunization.primarySource = false;
    immunization.reportOrigin = { coding: [{ system: `${CS}BRRegistroOrigem`, code: '02' }] };
    immunization.location = { identifier: { system: `${CS}BRPais`, value: '21' } };
  } else immunization.lotNumber = options.lot ?? `LOT-${options.identifier}`;
  return bundle;
};

export interface ClockedHub {
  readonly url: string;
  readonly hub: Hub;
  /** Sets the hub's clock (commands, deadlines, validation and certificates read it). */
  setNow(iso: string): void;
  request(method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/** A hub on a real port whose clock the test moves; otherwise like `startHub`. */
export const startClockedHub = async (dataDir: string, startAt: string): Promise<ClockedHub> => {
  let now = new Date(startAt);
  const destination = { write: () => undefined } as unknown as DestinationStream;
  const hub = await createHub(
    { dataDir, bodyLimit: 1_048_576, identityFeedToken: REGISTRY_TOKEN },
    { logger: createLogger({ level: 'warn', name: 'test', destination }), clock: () => now },
  );
  await hub.app.listen({ host: '127.0.0.1', port: 0 });
  const address = hub.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    hub,
    setNow: (iso) => {
      now = new Date(iso);
    },
    request: (method, path, token, body) =>
      fetch(`${url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    stop: () => hub.close(),
  };
};

/** The Nexo error code and the diagnostics of an OperationOutcome answer. */
export const problemOf = async (response: Response) => {
  const outcome = (await response.json()) as {
    resourceType: string;
    issue: Array<{
      diagnostics?: string;
      expression?: string[];
      details?: { coding?: Array<{ code: string }> };
    }>;
  };
  return {
    resourceType: outcome.resourceType,
    code: outcome.issue[0]?.details?.coding?.[0]?.code,
    diagnostics: outcome.issue[0]?.diagnostics,
    expression: outcome.issue[0]?.expression,
  };
};
