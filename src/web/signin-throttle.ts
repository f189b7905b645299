/**
 * Failed sign-ins per client address, so an API key cannot be guessed through the sign-in form at request speed.
 * Pure and in memory: a window of failure times per address. On Workers this is per isolate, which bounds one
 * attacker to a handful of guesses a minute per isolate it reaches; the per-key rate limit does not apply here
 * because a guess has no key yet.
 */
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Addresses remembered at most, oldest dropped first, so a spray of addresses cannot exhaust memory. */
  maxAddresses: number;
}

export const SIGNIN_THROTTLE: ThrottleOptions = { maxFailures: 10, windowMs: 60_000, maxAddresses: 10_000 };

export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly opts: ThrottleOptions = SIGNIN_THROTTLE) {}

  private recent(address: string, now: number): number[] {
    const list = (this.failures.get(address) ?? []).filter((t) => now - t < this.opts.windowMs);
    if (list.length === 0) this.failures.delete(address);
    else this.failures.set(address, list);
    return list;
  }

  /** Seconds to wait before the next attempt from `address`, or 0 when it may try now. */
  retryAfter(address: string, now = Date.now()): number {
    const list = this.recent(address, now);
    if (list.length < this.opts.maxFailures) return 0;
    return Math.max(1, Math.ceil((list[0]! + this.opts.windowMs - now) / 1000));
  }

  fail(address: string, now = Date.now()): void {
    const list = this.recent(address, now);
    list.push(now);
    this.failures.delete(address);
    this.failures.set(address, list);
    if (this.failures.size > this.opts.maxAddresses) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }
}

/** The client address Cloudflare reports; requests without one (local tests) share one bucket. */
export const clientAddress = (headers: { get(name: string): string | null }) => headers.get("cf-connecting-ip") ?? "unknown";
