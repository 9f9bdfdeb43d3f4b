/**
 * `@fastify/rate-limit` declares `rateLimit` in fastify's route `config`, which turns that type
 * into one TypeScript checks for unknown keys. Route configs also carry other settings, so the
 * type stays open.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    [setting: string]: unknown;
  }
}

export {};
