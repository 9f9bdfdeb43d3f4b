import { isIP } from 'node:net';

/** Names fastify (proxy-addr) accepts for the private ranges: 127.0.0.1/8 and ::1, 169.254.0.0/16 and fe80::/10, and the RFC 1918 and fc00::/7 networks. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** Whether `entry` is an IP address, a CIDR range (`10.0.0.0/8`, `fd00::/8`) or one of RANGE_NAMES. */
const isProxyAddress = (entry: string): boolean => {
  if (RANGE_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
};

/**
 * `NEXO_TRUSTED_PROXIES`: the reverse proxies whose `X-Forwarded-For` names the client, as a
 * comma-separated list of addresses, CIDR ranges and RANGE_NAMES. Unset, the client is the
 * socket's peer and the header is ignored: a client cannot pick the address its rate limits and
 * audit entries count under. Undefined when unset; a problem noted for each entry that is none of those.
 */
export const readTrustedProxies = (raw: string | undefined, problems: string[]): string[] | undefined => {
  if (raw === undefined || raw.trim() === '') return undefined;
  const entries = raw.split(',').map((entry) => entry.trim());
  const wrong = entries.filter((entry) => !isProxyAddress(entry));
  if (wrong.length > 0)
    problems.push(
      `NEXO_TRUSTED_PROXIES must list IP addresses, CIDR ranges or ${RANGE_NAMES.join(', ')}, separated by commas; not ${wrong.map((entry) => JSON.stringify(entry.slice(0, 64))).join(', ')}`,
    );
  return wrong.length > 0 ? undefined : entries;
};
