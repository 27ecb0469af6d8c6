// The caller's address, for rate limits and for counting authentication failures per address.
// Behind proxies (an ingress, a load balancer), the socket's peer is the last proxy: the
// caller is then the entry of X-Forwarded-For that the first trusted proxy appended, counted
// from the right. Entries further left are whatever the caller wrote, so they are never used.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** `::ffff:10.0.0.1` is 10.0.0.1; anything that is not an address is dropped. */
export function normalizeIp(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim().replace(/^\[(.*)\]$/, '$1');
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  const ip = v4mapped ? v4mapped[1]! : trimmed.toLowerCase();
  return isIP(ip) ? ip : undefined;
}

/**
 * @param trustedProxies how many proxies in front of the gateway append to X-Forwarded-For
 *   (TRUST_PROXY_HOPS; 0 = the socket's peer is the caller)
 */
export function clientIpOf(req: IncomingMessage, trustedProxies: number): string | undefined {
  const peer = normalizeIp(req.socket.remoteAddress);
  if (trustedProxies <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  // the last `trustedProxies` peers are ours: the address before them is the caller's
  const candidate = hops[hops.length - trustedProxies];
  return normalizeIp(candidate) ?? peer;
}
