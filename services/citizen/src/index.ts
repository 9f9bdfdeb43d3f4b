export { build } from './app.ts';
export { citizenRoutes, type CitizenDeps } from './routes.ts';
