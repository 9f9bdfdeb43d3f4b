import type { FastifyInstance, RouteOptions } from 'fastify';

/** A route as registered: its method and its URL pattern (`/fhir/r4/Bundle/:id`). */
export interface KnownRoute {
  readonly method: string;
  readonly url: string;
}

interface RouteTable {
  readonly routes: KnownRoute[];
  readonly patterns: Map<
    string,
    { readonly match: RegExp; readonly exact: boolean; readonly methods: Set<string> }
  >;
}

/** One table per HTTP server: every encapsulated plugin of one app shares `app.server`. */
const tables = new WeakMap<object, RouteTable>();

/**
 * Records every route the app registers (an `onRoute` hook, so it must run before the routes
 * are added). The table answers which methods a path allows (405 + Allow) and which
 * interactions the server really routes (the CapabilityStatement).
 */
export const trackRoutes = (app: FastifyInstance): void => {
  const table: RouteTable = { routes: [], patterns: new Map() };
  tables.set(app.server, table);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      table.routes.push({ method, url: route.url });
      const entry = table.patterns.get(route.url) ?? {
        match: patternToRegExp(route.url),
        exact: isExactPath(route.url),
        methods: new Set(),
      };
      entry.methods.add(method);
      table.patterns.set(route.url, entry);
    }
  });
};

/** Every route registered so far on the app's server, in registration order. */
export const routesOf = (app: FastifyInstance): readonly KnownRoute[] => tables.get(app.server)?.routes ?? [];

/**
 * The methods some route allows for this path (query string ignored), sorted; empty when no
 * route has the path. HEAD is listed wherever GET is.
 *
 * A path a route names exactly (no parameter, no wildcard) is that route's resource: the routes
 * whose parameters would also match it are not counted. `/fhir/r4/Bundle/$validate` allows POST
 * only, though `/fhir/r4/Bundle/:id` takes GET (its handler refuses `$validate` as an id).
 */
export const allowedMethods = (app: FastifyInstance, url: string): string[] => {
  const path = url.split('?')[0] ?? '';
  const matching = [...(tables.get(app.server)?.patterns.values() ?? [])].filter(({ match }) =>
    match.test(path),
  );
  const exact = matching.filter((pattern) => pattern.exact);
  const allowed = new Set<string>();
  for (const { methods } of exact.length > 0 ? exact : matching) {
    for (const method of methods) allowed.add(method);
    if (methods.has('GET')) allowed.add('HEAD');
  }
  return [...allowed].sort();
};

/** Whether a route's URL names one path only: no `:param` and no `*` (`::` is a literal colon). */
const isExactPath = (url: string): boolean => !/[:*]/.test(url.replaceAll('::', ''));

/** find-my-way syntax: `:name` and `:name(regex)` match one segment, `*` the rest, `::` a colon. */
const patternToRegExp = (url: string): RegExp => {
  const tokens = url.match(/::|:[\w-]+(?:\([^)]*\))?|\*|[^:*]+/g) ?? [];
  const source = tokens
    .map((token) => {
      if (token === '::') return ':';
      if (token === '*') return '.*';
      if (token.startsWith(':')) return '[^/]+';
      return token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
};
