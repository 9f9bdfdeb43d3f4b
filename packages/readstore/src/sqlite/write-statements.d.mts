import type Database from 'better-sqlite3';
import type { SortKey } from '../index-keys.ts';

type Statement<Params extends unknown[], Result = unknown> = Database.Statement<Params, Result>;

export interface DocumentRow {
  readonly collection: string;
  readonly id: string;
  readonly revision: number;
  readonly body: string;
}

export interface IndexDeclarationRow {
  readonly collection: string;
  readonly field: string;
  readonly sortBy: string;
}

/** The statements of the writing connection: documents, index rows, declarations, checkpoints. */
export interface WriteStatements {
  readonly revision: Statement<[string, string], number>;
  readonly upsert: Statement<[string, string, number, string]>;
  readonly remove: Statement<[string, string]>;
  readonly unindexDocument: Statement<[string, string]>;
  readonly unindexField: Statement<[string, string]>;
  readonly indexEntry: Statement<[string, string, string, SortKey, string]>;
  readonly collectionPage: Statement<[string, string, number], DocumentRow>;
  readonly declarations: Statement<[], IndexDeclarationRow>;
  readonly declare: Statement<[string, string, string]>;
  readonly saveCheckpoint: Statement<[string, string]>;
}

export declare const prepareWriteStatements: (db: Database.Database) => WriteStatements;
