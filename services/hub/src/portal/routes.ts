import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendProblems } from '@nexo/runtime';

/** The portal's files and their types: plain HTML, CSS and ES modules, served as they are (no build). */
const FILES = {
  'index.html': 'text/html; charset=utf-8',
  'portal.css': 'text/css; charset=utf-8',
  'records.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'token.js': 'text/javascript; charset=utf-8',
  'views.js': 'text/javascript; charset=utf-8',
} as const;

type PortalFile = keyof typeof FILES;

/** Only this origin's scripts, styles and API; no inline script, no framing. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const isPortalFile = (name: string): name is PortalFile => Object.hasOwn(FILES, name);

/**
 * The citizen web page at `/portal/` (and `/` redirects there): read once at start-up from this
 * folder, so what is served is what the repository holds.
 */
export const portalRoutes = () => async (app: FastifyInstance) => {
  const contents = new Map(
    (Object.keys(FILES) as PortalFile[]).map((name) => [
      name,
      readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'),
    ]),
  );
  const config = { produces: 'text/html' };
  const hidden = { hide: true };

  app.get('/', { config, schema: hidden }, async (_request, reply) => reply.redirect('/portal/'));
  app.get('/portal', { config, schema: hidden }, async (_request, reply) => reply.redirect('/portal/'));
  const serve = (name: string, reply: FastifyReply) =>
    isPortalFile(name)
      ? reply.headers(SECURITY_HEADERS).type(FILES[name]).send(contents.get(name))
      : sendProblems(reply, [
          { code: 'NEXO_ERR_NOT_FOUND', message: `the portal has no file ${name.slice(0, 64)}` },
        ]);
  app.get('/portal/', { config, schema: hidden }, async (_request, reply) => serve('index.html', reply));
  app.get<{ Params: { file: string } }>('/portal/:file', { config, schema: hidden }, async (request, reply) =>
    serve(request.params.file, reply),
  );
};
