export { build, UNREADY_AFTER_FAILURES, type RelayAppDeps } from './app.ts';
