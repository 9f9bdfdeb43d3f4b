/** Read-model collections and the indexes the APIs query them by. */
export const COLLECTIONS = {
  citizenRecords: 'citizen-records',
  records: 'records',
  rejections: 'rejections',
  persons: 'persons',
  identityLinks: 'identity-links',
  identityMeta: 'identity-meta',
  /** Names of establishments by CNES, from their registration: how citizens see who sent a record. */
  establishments: 'establishments',
  correctionRequests: 'correction-requests',
  correctionsByRecord: 'correction-by-record',
  correctionCounters: 'correction-counters',
} as const;

/** The identity-meta document that holds the registry stream version the read model has applied. */
export const IDENTITY_META_ID = 'registry';

export const READ_MODEL_INDEXES = [
  { collection: COLLECTIONS.records, field: 'sender', sortBy: 'receivedAt' },
  { collection: COLLECTIONS.rejections, field: 'sender', sortBy: 'rejectedAt' },
  { collection: COLLECTIONS.correctionRequests, field: 'establishment', sortBy: 'updatedAt' },
  { collection: COLLECTIONS.correctionRequests, field: 'citizenKey', sortBy: 'updatedAt' },
  { collection: COLLECTIONS.correctionRequests, field: 'status', sortBy: 'closesAt' },
] as const;

/** The consumer name of the projector's group and of its read-model checkpoint. */
export const PROJECTOR_GROUP = 'projector';
