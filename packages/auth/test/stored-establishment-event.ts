import type { StoredEvent } from '@nexo/eventstore';

/** A registry event as the log returns it, on `establishment-<cnes>` at `version`, to fold in tests. */
export const storedEstablishmentEvent = (
  cnes: string,
  type: string,
  data: unknown,
  version: number,
): StoredEvent => ({
  id: `e${version}`,
  stream: `establishment-${cnes}`,
  version,
  position: version,
  type,
  schemaVersion: 1,
  occurredAt: '2025-01-01T00:00:00Z',
  recordedAt: '2025-01-01T00:00:00Z',
  sender: 'admin:cli',
  citizenKey: '',
  correlationId: 'c',
  data,
});
