/**
 * The audit trail port (Portaria 940/2011 ch. V art. 34; LGPD art. 37): every read of individual
 * data and every denied attempt, in an append-only log where each entry holds the hash of the one
 * before it, so a changed, removed or reordered entry breaks the chain at that point.
 */

/** Who acted. A citizen is named by a keyed pseudonym of their CPF/CNS, never the number itself. */
export interface AuditActor {
  readonly kind: 'citizen' | 'establishment' | 'admin' | 'registry' | 'anonymous';
  /** CNES, `cpf:<pseudonym>`, `cns:<pseudonym>`, `admin`, or what an anonymous caller claimed. */
  readonly id: string;
}

/** From where: the client address, and the establishment when the caller speaks for one. */
export interface AuditOrigin {
  readonly address: string;
  readonly establishment?: string;
}

/** What happened, as the edge saw it. */
export interface AuditEvent {
  /** ISO-8601 instant. */
  readonly at: string;
  readonly actor: AuditActor;
  readonly origin: AuditOrigin;
  /** Method and route template, e.g. `GET /fhir/r4/Bundle/:id`. */
  readonly action: string;
  /** The resource reached, e.g. `Bundle/0198…` or `citizen/me/immunizations`. */
  readonly resource?: string;
  /** `error`: the hub failed (5xx) while answering. */
  readonly outcome: 'allowed' | 'denied' | 'error';
  /** The HTTP status answered. */
  readonly status: number;
  /** Why an attempt was denied (`invalid token`, `record of another establishment`…). */
  readonly reason?: string;
  readonly correlationId: string;
}

/** An event once it is in the chain. */
export interface AuditEntry extends AuditEvent {
  /** 1-based, gap-free. */
  readonly seq: number;
  /** The previous entry's hash (64 zeros for the first entry). */
  readonly prevHash: string;
  /** SHA-256 of this entry's fields and `prevHash` (see `entryHash`). */
  readonly hash: string;
}

export type ChainVerification =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | {
      readonly ok: false;
      /** Entries checked before the break. */
      readonly entries: number;
      /** The first entry whose link is broken. */
      readonly brokenAt: number;
      readonly reason: string;
    };

export interface AuditLog {
  /** Appends durably; resolves only once the entry is committed. */
  append(event: AuditEvent): Promise<AuditEntry>;
  /** Up to `limit` entries with `seq > afterSeq`, in order. */
  read(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** Walks the whole chain and names the first broken link. */
  verify(): Promise<ChainVerification>;
  close(): Promise<void>;
}
