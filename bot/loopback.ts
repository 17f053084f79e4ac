/**
 * Is a URL on this machine? Without an app id the bot posts its replies to whatever serviceUrl an
 * activity names, so only loopback ones are answered (issue 28: a prefix test let
 * `127.0.0.1.evil.example` through). The host is parsed as an address, never matched as text.
 */
import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * The URL in its normal (WHATWG) form when it is http(s) on a loopback address or `localhost`,
 * else undefined. The WHATWG parser has already turned `127.1`, `0x7f.1` and `2130706433` into
 * `127.0.0.1` (inet_aton reads them the same way, so they truly are loopback) and `[::ffff:127.0.0.1]`
 * into `[::ffff:7f00:1]`, which BlockList checks as the IPv4 address it maps (a connection to it
 * never leaves the host). Callers use the normal form from then on, so no later parser can read
 * the same text differently. Userinfo is refused outright: no channel sends it, and it is the
 * classic way to make a URL look like it names another host.
 */
export function loopbackUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return isLoopbackHost(url.hostname) ? url.href : undefined;
}

/** `localhost` exactly (not a subdomain, not `localhost.`, which may go to DNS), or a loopback IP. */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const family = isIP(bare);
  if (family === 0) return false;
  return LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}
