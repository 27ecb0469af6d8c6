import type { IncomingMessage } from 'node:http';
import { clientIpOf, normalizeIp } from './client-ip';

const request = (peer: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  }) as unknown as IncomingMessage;

describe("the caller's address", () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientIpOf(request('::ffff:198.51.100.4', '203.0.113.9'), 0)).toBe('198.51.100.4');
  });

  it('is the entry the trusted proxy appended, not what the caller wrote before it', () => {
    // the caller wrote "1.2.3.4"; the ingress appended the real peer 203.0.113.9
    expect(clientIpOf(request('10.0.0.2', '1.2.3.4, 203.0.113.9'), 1)).toBe('203.0.113.9');
    // two proxies: a load balancer then the ingress
    expect(clientIpOf(request('10.0.0.2', '1.2.3.4, 203.0.113.9, 10.0.0.7'), 2)).toBe('203.0.113.9');
  });

  it('falls back to the peer when the header is missing or not an address', () => {
    expect(clientIpOf(request('10.0.0.2'), 1)).toBe('10.0.0.2');
    expect(clientIpOf(request('10.0.0.2', 'not-an-ip'), 1)).toBe('10.0.0.2');
  });

  it('normalizes IPv4-mapped IPv6, brackets and case', () => {
    expect(normalizeIp('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeIp('[2001:DB8::1]')).toBe('2001:db8::1');
    expect(normalizeIp('')).toBeUndefined();
    expect(normalizeIp('999.1.1.1')).toBeUndefined();
  });
});
