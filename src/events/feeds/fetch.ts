// Fetches one feed over HTTP(S): bounded in time, size and redirects, gzip, conditional, and kept to the addresses it may reach.
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { isInternalAddress } from './address.ts';

/** Resolves a host name to its addresses (injected in tests to point a public-looking name at 127.0.0.1). */
export type FeedLookup = (host: string) => Promise<{ address: string; family: number }[]>;

export interface FeedLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** A LAN calendar: redirects may reach loopback and private addresses too. */
  allowPrivate: boolean;
  lookup?: FeedLookup;
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type FeedResponse =
  | { kind: 'body'; text: string; contentType: string; validators: Validators }
  | { kind: 'not-modified' }
  | { kind: 'problem'; message: string };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const defaultLookup: FeedLookup = (host) => dnsLookup(host, { all: true, verbatim: true });

class FeedProblem extends Error {}

/** The addresses of `url`'s host; literal IPs stand for themselves. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

async function addressesOf(url: URL, lookup: FeedLookup): Promise<{ address: string; family: number }[]> {
  const host = hostOf(url);
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family }];
  try {
    const found = await lookup(host);
    if (found.length === 0) throw new FeedProblem(`${host} has no address`);
    return found;
  } catch (e) {
    if (e instanceof FeedProblem) throw e;
    throw new FeedProblem(`cannot resolve ${host} (${(e as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
  }
}

function get(url: URL, address: { address: string; family: number }, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    // The vetted address is the one connected to: a second lookup could answer differently (DNS rebinding).
    const req = request(url, {
      headers,
      signal,
      // A fresh connection each time: a pooled socket would skip the address check above.
      agent: false,
      lookup: (_h, opts, cb) => {
        if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: typeof address[]) => void)(null, [address]);
        else cb(null, address.address, address.family);
      },
    });
    req.on('response', done);
    req.on('error', fail);
    req.end();
  });
}

async function readBody(res: IncomingMessage, url: URL, maxBytes: number): Promise<string> {
  const declared = Number(res.headers['content-length']);
  const encoding = String(res.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity' && Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw new FeedProblem(`the feed is ${declared} bytes, over the limit of ${maxBytes}; refused`);
  }
  let stream: Readable = res;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = res.pipe(createGunzip());
  else if (encoding === 'deflate') stream = res.pipe(createInflate());
  else if (encoding !== 'identity') throw new FeedProblem(`unsupported content encoding ${encoding}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    // Counted after decompression, so a small gzip body cannot unpack past the limit.
    if (size > maxBytes) {
      res.destroy();
      stream.destroy();
      throw new FeedProblem(`the feed is over the limit of ${maxBytes} bytes; refused`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One feed, following at most `maxRedirects` redirects; a problem names the URL, status and content type, never the body. */
export async function fetchFeed(configured: string, limits: FeedLimits, validators: Validators = {}): Promise<FeedResponse> {
  const lookup = limits.lookup ?? defaultLookup;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let url = new URL(configured);
  let configuredInternal = false;
  const at = (u: URL) => (u.href === new URL(configured).href ? '' : ` (at ${u.href})`);
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FeedProblem(`redirected to a ${url.protocol} URL; only http and https are followed`);
      const addresses = await addressesOf(url, lookup);
      // The configured URL is the organizer's choice, fetched wherever it resolves; where it redirects is not. Only a
      // configured loopback or private address (written as such) lets redirects reach such addresses too.
      if (hop === 0) configuredInternal = isIP(hostOf(url)) !== 0 ? isInternalAddress(hostOf(url)) : hostOf(url).toLowerCase() === 'localhost';
      else if (addresses.some((a) => isInternalAddress(a.address)) && !configuredInternal && !limits.allowPrivate) {
        throw new FeedProblem(`redirected to ${url.href}, a loopback, private or link-local address; refused (allowPrivateFeeds allows it for a LAN calendar)`);
      }
      const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate', accept: 'text/calendar, application/yaml, application/json;q=0.9, */*;q=0.5', 'user-agent': 'event-digest' };
      // Sent on every hop: the copy is of wherever the redirects ended.
      if (validators.etag) headers['if-none-match'] = validators.etag;
      if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
      const res = await get(url, addresses[0], headers, signal);
      const status = res.statusCode ?? 0;
      const contentType = String(res.headers['content-type'] ?? 'no content type');
      if (REDIRECTS.has(status) && res.headers.location) {
        res.resume();
        if (hop >= limits.maxRedirects) throw new FeedProblem(`more than ${limits.maxRedirects} redirects (last to ${url.href})`);
        url = new URL(res.headers.location, url);
        continue;
      }
      if (status === 304) {
        res.resume();
        return { kind: 'not-modified' };
      }
      if (status < 200 || status > 299) {
        res.resume();
        throw new FeedProblem(`HTTP ${status}, ${contentType}${at(url)}`);
      }
      if (/html/i.test(contentType)) {
        res.resume();
        throw new FeedProblem(`HTTP ${status} answered ${contentType}, not a calendar${at(url)}`);
      }
      const text = await readBody(res, url, limits.maxBytes);
      const etag = res.headers.etag;
      const lastModified = res.headers['last-modified'];
      return { kind: 'body', text, contentType, validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } };
    }
  } catch (e) {
    if (e instanceof FeedProblem) return { kind: 'problem', message: `could not fetch the feed: ${e.message}` };
    if (signal.aborted) return { kind: 'problem', message: `could not fetch the feed: no complete answer within ${limits.timeoutMs / 1000} s${at(url)}` };
    const err = e as NodeJS.ErrnoException;
    return { kind: 'problem', message: `could not fetch the feed: ${err.code ?? err.message}${at(url)}` };
  }
}
