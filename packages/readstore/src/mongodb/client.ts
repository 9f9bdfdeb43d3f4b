/**
 * The read store's MongoDB connection: the shared client settings of `@nexo/mongo` (majority
 * writes and reads; transactions so read models and their checkpoint move together).
 */
export {
  connectMongo,
  inTransaction,
  type MongoConnectionOptions as MongoReadStoreOptions,
} from '@nexo/mongo';
