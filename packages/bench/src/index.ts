export {
  closedLoop,
  openLoop,
  ratePerSecond,
  type BenchRequest,
  type BenchResponse,
  type LoadResult,
} from './load.ts';
export { startChildServer, freePort, type ChildServer } from './child-server.ts';
export { startCeiling, startHub } from './hub-process.ts';
export { watchProjection, headPosition, type ProjectionWatch } from './projection-lag.ts';
export { seedCitizens, type SeededCitizens } from './seed-citizens.ts';
export { BENCH_PUBLIC_URL, issueCitizenTokens } from './citizen-tokens.ts';
export { seedEvents } from './seed-events.ts';
export { acceptedTemplates, submittedEvent } from './accepted-documents.ts';
export { CARD_PATH, prebuiltSubmissions, liveSubmissions, cardReads } from './requests.ts';
export {
  hotFunctions,
  formatHotFunctions,
  mainThreadProfile,
  projectTotals,
  type HotFunction,
} from './cpu-profile.ts';
export { runReplay, type ReplayResult } from './replay.ts';
export { measureReferenceWork, type ReferenceWork } from './reference-work.ts';
export { distribution, Samples, type Distribution } from './stats.ts';
export { buildRows, formatTable, TARGETS, type Row } from './report.ts';
export { parseOptions, USAGE, type BenchOptions } from './options.ts';
