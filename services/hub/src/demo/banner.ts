import { DEMO_CITIZENS, DEMO_ESTABLISHMENTS } from './seed.ts';

/**
 * What `pnpm start` prints for a person (on stdout, beside the JSON log lines): where the
 * portal, the API description and the FHIR base are, and, in development mode, who to log in as
 * and what to try. The numbers are the demo's synthetic ones.
 */
export const startBanner = (options: {
  readonly url: string;
  readonly development: boolean;
  /** How many demo documents this start submitted; undefined when the data folder was not empty. */
  readonly seeded?: number;
}): string => {
  const { url } = options;
  const lines = [
    '',
    `Nexo is running at ${url}`,
    `  citizen portal   ${url}/portal/`,
    `  API description  ${url}/docs`,
    `  FHIR base        ${url}/fhir/r4   (CapabilityStatement: ${url}/fhir/r4/metadata)`,
    `  operations       ${url}/health  ${url}/ready  ${url}/metrics`,
  ];
  if (options.development) {
    lines.push(
      '',
      options.seeded === undefined
        ? 'Demo data is loaded on a first start with an empty data folder (NEXO_DATA_DIR).'
        : `Demo data: ${options.seeded} documents submitted through POST /fhir/r4/Bundle.`,
      'Log in on the portal with one of these (synthetic) numbers:',
      ...DEMO_CITIZENS.map((c) => `  ${c.name.padEnd(6)} ${c.kind} ${c.number}`),
      'Senders (token: Bearer dev-establishment-<CNES>):',
      ...Object.values(DEMO_ESTABLISHMENTS).map((e) => `  ${e.cnes}  ${e.name}`),
      '',
      'Try:',
      `  curl -s ${url}/citizen/v1/me/immunizations -H 'Authorization: Bearer dev-citizen-cns-${DEMO_CITIZENS[0].number}'`,
      `  curl -s ${url}/establishment/v1/submissions -H 'Authorization: Bearer dev-establishment-${DEMO_ESTABLISHMENTS.ubs.cnes}'`,
      '  (more in the README, section Demo)',
    );
  }
  return `${lines.join('\n')}\n\n`;
};
