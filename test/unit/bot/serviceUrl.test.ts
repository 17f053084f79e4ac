/**
 * Issue 28 (2): without an app id the bot answers only activities whose serviceUrl is on this
 * machine. The host is parsed as an address (the WHATWG URL parser, which every client of the
 * stored reference uses too), not matched by prefix.
 */
import { checkServiceUrl } from '../../../bot/adapter';
import { ForbiddenError } from '../../../src/errors';

const check = (serviceUrl: string, authenticated = false) => {
  const body = { serviceUrl };
  checkServiceUrl(body, authenticated);
  return body.serviceUrl;
};

test.each([
  // A domain that merely starts with a loopback address: it resolves wherever its owner says.
  'http://127.0.0.1.evil.example:8080/x',
  'http://127.0.0.1%2eevil.example/x',
  'http://localhost.evil.example/',
  // Userinfo that looks like the host: the host is evil.example.
  'http://127.0.0.1@evil.example/',
  'http://127.0.0.1:3978@evil.example/',
  'http://localhost:x@evil.example/',
  // Hosts that are not loopback.
  'http://203.0.113.9:3978/',
  'http://10.0.0.1/',
  'http://0.0.0.0:3978/',
  'http://[::]:3978/',
  'http://[fe80::1]/',
  // IPv4-compatible (deprecated, not a mapping to 127.0.0.1) and a mapped address off the machine.
  'http://[::127.0.0.1]/',
  'http://[::ffff:203.0.113.9]/',
  // A subdomain of localhost or a trailing dot goes to the resolver, which may ask DNS.
  'http://foo.localhost/',
  'http://localhost./',
  // Not HTTP.
  'file:///etc/passwd',
  'ftp://127.0.0.1/',
  // Userinfo even with a loopback host: nothing legitimate sends it, and parsers disagree about it.
  'http://user:pw@127.0.0.1:3978/',
])('%s is refused', (url) => {
  expect(() => check(url)).toThrow(ForbiddenError);
});

test.each([
  ['http://127.0.0.1:3978/', 'http://127.0.0.1:3978/'],
  ['http://127.0.0.1:3978', 'http://127.0.0.1:3978/'],
  ['http://127.45.6.7:9/', 'http://127.45.6.7:9/'],
  ['http://localhost:3978/', 'http://localhost:3978/'],
  ['http://LOCALHOST:3978/', 'http://localhost:3978/'],
  ['http://[::1]:3978/', 'http://[::1]:3978/'],
  ['https://[0:0:0:0:0:0:0:1]/', 'https://[::1]/'],
  // Shorthand IPv4 forms are loopback for every parser (WHATWG and inet_aton alike): accepted, and
  // the activity carries the normal form from here on, so nothing downstream parses them again.
  ['http://127.1:3978/', 'http://127.0.0.1:3978/'],
  ['http://0x7f.1:3978/', 'http://127.0.0.1:3978/'],
  ['http://2130706433:3978/', 'http://127.0.0.1:3978/'],
  ['http://0177.0.0.1:3978/', 'http://127.0.0.1:3978/'],
  // IPv4-mapped loopback: a connection to it is a connection to 127.0.0.1 (it never leaves the host).
  ['http://[::ffff:127.0.0.1]:3978/', 'http://[::ffff:7f00:1]:3978/'],
])('%s is accepted as %s', (url, normal) => {
  expect(check(url)).toBe(normal);
});

test('with an app id (authenticated channel) any serviceUrl is left as it is', () => {
  expect(check('https://smba.trafficmanager.net/emea/', true)).toBe('https://smba.trafficmanager.net/emea/');
});
