import { createServer } from 'node:net';
import { defaultPublicUrl, type NexoConfig } from './config.ts';

/**
 * `PORT=0` asks for any free port. The links a service answers with (`Location`, the
 * CapabilityStatement, NEXO_PUBLIC_URL's default) are fixed when its app is built, before it
 * listens, so the port is chosen first: bound on HOST, read and released, then listened on. Another
 * process taking it in between makes the start fail on EADDRINUSE, as any taken port does.
 */
export const withPortChosen = async (config: NexoConfig): Promise<NexoConfig> => {
  if (config.port !== 0) return config;
  const port = await freePort(config.host);
  // An explicit NEXO_PUBLIC_URL (a proxy's address) stays; only the default follows the port.
  const derived = config.publicUrl === defaultPublicUrl(0);
  return { ...config, port, ...(derived ? { publicUrl: defaultPublicUrl(port) } : {}) };
};

const freePort = (host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0, exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
