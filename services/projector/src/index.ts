export { projectBatch } from './project-batch.ts';
export { rebuildReadModels, type RebuildProgress } from './rebuild.ts';
export { startProjector } from './projector.ts';
