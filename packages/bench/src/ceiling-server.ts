/**
 * The ceiling Nexo's ingest is compared with: a bare fastify server on the same machine that parses
 * each posted body as JSON and answers 201, nothing else. Run as a child process by the bench
 * (`PORT`, `HOST` from the environment), like the hub.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.removeAllContentTypeParsers();
app.addContentTypeParser(
  ['application/fhir+json', 'application/json'],
  { parseAs: 'string' },
  (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string) as unknown);
    } catch (error) {
      done(error as Error, undefined);
    }
  },
);
app.post('/fhir/r4/Bundle', async (request, reply) => {
  const accepted = typeof request.body === 'object' && request.body !== null;
  return reply.code(accepted ? 201 : 400).send({ resourceType: 'OperationOutcome', issue: [] });
});

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
