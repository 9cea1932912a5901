/**
 * The address a request comes from, for rate limits and login throttling. The console calls the services on its
 * users' behalf, so every request it forwards would otherwise come from the console's one address; it says whose
 * request it is in `x-paywatch-client-address`, with a proof (HMAC under a key derived from the shared JWT
 * secret) that only a holder of that secret can make. Anyone else's claim is ignored: a client cannot rotate
 * its address by typing a header.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** Header naming the original client's address (set by the console). */
export const CLIENT_ADDRESS_HEADER = 'x-paywatch-client-address';
/** Header carrying the proof of that address. */
export const CLIENT_PROOF_HEADER = 'x-paywatch-client-proof';

const keyOf = (jwtSecret: string) => createHmac('sha256', jwtSecret).update('paywatch forwarded client address v1').digest();
const proofOf = (key: Buffer, address: string) => createHmac('sha256', key).update(address).digest('base64url');

/** The two headers that forward `address` to another paywatch service. */
export function forwardedClientHeaders(jwtSecret: string, address: string): Record<string, string> {
  return { [CLIENT_ADDRESS_HEADER]: address, [CLIENT_PROOF_HEADER]: proofOf(keyOf(jwtSecret), address) };
}

/**
 * The bucket an address counts in: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its /64, since one
 * subscriber is usually given a whole /64 and could otherwise take a fresh address per guess.
 */
export function addressBucket(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1]!;
  if (!a.includes(':')) return a;
  const [head = '', tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** A resolver of the client address of a request, trusting forwarded addresses proven with `jwtSecret`. */
export function createClientAddressResolver(jwtSecret: string): (req: FastifyRequest) => string {
  const key = keyOf(jwtSecret);
  const cache = new WeakMap<FastifyRequest, string>();
  return (req) => {
    const known = cache.get(req);
    if (known) return known;
    let address = req.ip;
    const claimed = req.headers[CLIENT_ADDRESS_HEADER];
    const proof = req.headers[CLIENT_PROOF_HEADER];
    if (typeof claimed === 'string' && typeof proof === 'string' && claimed.length <= 64 && /^[0-9a-fA-F:.]+$/.test(claimed)) {
      const want = Buffer.from(proofOf(key, claimed));
      const got = Buffer.from(proof);
      if (want.length === got.length && timingSafeEqual(want, got)) address = claimed;
    }
    const bucket = addressBucket(address);
    cache.set(req, bucket);
    return bucket;
  };
}
