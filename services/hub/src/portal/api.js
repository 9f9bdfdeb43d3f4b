/* global document, fetch, setTimeout */
/** The citizen API as the portal uses it: same origin, bearer token, JSON answers. */

/**
 * The COVID-19 vaccination certificate. The portal shows its link only when the API answers it
 * for this citizen (the route exists and the primary series qualifies): no dead link.
 */
export const CERTIFICATE_PATH = '/citizen/v1/me/certificates/covid-19';

export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The first diagnostics of an OperationOutcome, for a message the citizen can read. */
const problemOf = async (response) => {
  try {
    const outcome = await response.json();
    return outcome?.issue?.[0]?.diagnostics ?? `erro ${response.status}`;
  } catch {
    return `erro ${response.status}`;
  }
};

/** @param {string} token @param {string} path */
export async function getJson(token, path) {
  const response = await fetch(path, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.json();
}

/** Everything the records page shows, read in parallel. */
export async function loadRecords(token) {
  const [card, exams, medicines, timeline] = await Promise.all([
    getJson(token, '/citizen/v1/me/immunizations'),
    getJson(token, '/citizen/v1/me/lab-results'),
    getJson(token, '/citizen/v1/me/dispensations'),
    getJson(token, '/citizen/v1/me/timeline?limit=100'),
  ]);
  return {
    immunizations: card.immunizations,
    labResults: exams.labResults,
    dispensations: medicines.dispensations,
    timeline: timeline.entries,
  };
}

/** Whether the certificate endpoint exists and answers for this citizen (no dead link otherwise). */
export async function certificateAvailable(token) {
  try {
    // The JSON form answers the same question as the PDF without rendering one.
    const response = await fetch(`${CERTIFICATE_PATH}?format=json`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** Downloads the certificate with the token (a plain link could not send it) and saves it. */
export async function downloadCertificate(token) {
  const response = await fetch(CERTIFICATE_PATH, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'certificado-covid-19.pdf';
  const url = URL.createObjectURL(await response.blob());
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
