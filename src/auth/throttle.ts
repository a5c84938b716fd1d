import { Lru } from "../lru";

/** Failed authentications a client address may make at once… */
export const FAILED_AUTH_BURST = 10;
/** …and then one per this many milliseconds. */
export const FAILED_AUTH_REFILL_MS = 1_000;
/** Client addresses remembered (the least recently seen are forgotten beyond it). */
export const FAILED_AUTH_ADDRESSES = 10_000;

interface Bucket {
  allowance: number;
  updatedAt: number;
}

/**
 * Slows down guessing tokens: each client address has a bucket of FAILED_AUTH_BURST failed
 * authentications, refilled at one per FAILED_AUTH_REFILL_MS. While it is empty, requests from
 * that address with a token procgraph does not already know are answered 429 at once, without a
 * MongoDB lookup; a token known valid still passes. State is an LRU of FAILED_AUTH_ADDRESSES
 * addresses (IPv6 by /64, the block one client usually holds), so it stays bounded.
 */
export class FailedAuthThrottle {
  private readonly buckets: Lru<string, Bucket>;

  constructor(
    private readonly burst = FAILED_AUTH_BURST,
    private readonly refillMs = FAILED_AUTH_REFILL_MS,
    maxAddresses = FAILED_AUTH_ADDRESSES,
  ) {
    this.buckets = new Lru(maxAddresses);
  }

  get trackedAddresses(): number {
    return this.buckets.size;
  }

  /** Seconds until `address` may fail again, or 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const bucket = this.current(clientKey(address));
    if (!bucket || bucket.allowance >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - bucket.allowance) * this.refillMs) / 1000));
  }

  failed(address: string): void {
    const key = clientKey(address);
    const bucket = this.current(key) ?? { allowance: this.burst, updatedAt: Date.now() };
    bucket.allowance -= 1;
    this.buckets.set(key, bucket);
  }

  /** The bucket refilled up to now; a full one is forgotten (the address behaves). */
  private current(key: string): Bucket | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    const now = Date.now();
    bucket.allowance = Math.min(this.burst, bucket.allowance + (now - bucket.updatedAt) / this.refillMs);
    bucket.updatedAt = now;
    if (bucket.allowance >= this.burst) {
      this.buckets.delete(key);
      return undefined;
    }
    return bucket;
  }
}

/** IPv4 as is (also when mapped into IPv6); IPv6 by its /64 prefix. */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(":")) return address;
  const [head, tail] = address.split("%")[0].split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
