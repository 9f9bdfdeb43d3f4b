export { projectBatch } from './project-batch.ts';
export { rebuildReadModels, type RebuildProgress, type RebuildResult } from './rebuild.ts';
export { replayReadModels, type ReplayEngines, type ReplayResult } from './replay.ts';
export {
  DEAD_LETTERS_USAGE,
  deadLettersReport,
  listDeadLetters,
  parseDeadLettersArgs,
  reasonLabel,
} from './dead-letters.ts';
export { startProjector } from './projector.ts';
export {
  CORRECTION_DEADLINE_INTERVAL_MS,
  startCorrectionDeadlines,
  type CorrectionDeadlineDeps,
  type CorrectionDeadlines,
} from './correction-deadlines.ts';
