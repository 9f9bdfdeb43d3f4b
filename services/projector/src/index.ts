export { projectBatch } from './project-batch.ts';
export { rebuildReadModels, type RebuildProgress } from './rebuild.ts';
export { startProjector } from './projector.ts';
export {
  CORRECTION_DEADLINE_INTERVAL_MS,
  startCorrectionDeadlines,
  type CorrectionDeadlineDeps,
  type CorrectionDeadlines,
} from './correction-deadlines.ts';
