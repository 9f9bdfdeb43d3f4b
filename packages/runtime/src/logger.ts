import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Personal data never reaches a log line: bodies, headers that carry tokens and every field
 * that could hold a CPF, CNS or name are censored at the logger, whatever a caller passes.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-authorization-server"]',
  'req.headers.cookie',
  'req.body',
  'res.body',
  'body',
  'document',
  'bundle',
  '*.cpf',
  '*.cns',
  '*.name',
  '*.citizen',
  '*.citizenKey',
  '*.subject',
  'cpf',
  'cns',
  'name',
  'citizen',
  'citizenKey',
  'subject',
];

export const createLogger = (options: {
  level: LoggerOptions['level'];
  name: string;
  destination?: DestinationStream;
}): Logger =>
  pino(
    {
      // `name` is censored as personal data everywhere, so the service is named under `service`.
      base: { service: options.name, pid: process.pid },
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Request logs keep method, route and status; the URL's query string could carry identifiers.
      serializers: {
        req: (req: { method?: string; routeOptions?: { url?: string }; id?: string }) => ({
          method: req.method,
          route: req.routeOptions?.url,
          id: req.id,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    options.destination,
  );

export type { Logger };
