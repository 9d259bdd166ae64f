import type { Rate } from "./token-bucket";

/**
 * How fast anonymous customers may go (S4). A person types a message every
 * few seconds at most and opens a conversation now and then; a script does
 * hundreds a second. Each limit leaves a person room for a burst.
 */
export const RATES = {
  /** New visitors (a session without a valid token) from one address: offices and mobile carriers share one. */
  newVisitor: { burst: 30, perSecond: 0.5 },
  /** Any session call from one address (page loads of returning visitors). */
  session: { burst: 120, perSecond: 4 },
  /** Conversations one visitor starts. */
  conversation: { burst: 5, perSecond: 0.1 },
  /** Conversations started from one address. */
  conversationPerAddress: { burst: 30, perSecond: 0.5 },
  /** Messages one visitor sends in a conversation. */
  send: { burst: 20, perSecond: 1 },
  /** Typing frames relayed for one connection (the widget sends one per start and stop). */
  typing: { burst: 10, perSecond: 2 },
  /** Page frames stored for one visitor (the navigation trail). */
  page: { burst: 10, perSecond: 0.5 },
  /** Resumes from one client (a reconnect, a gap). */
  resume: { burst: 20, perSecond: 2 },
  /** Messages replayed to one client by its resumes: a resume costs what it sends. */
  replay: { burst: 1000, perSecond: 100 },
} satisfies Record<string, Rate>;

export type Rates = typeof RATES;
export type Limit = keyof Rates;

/**
 * The rates in force: the defaults, with any of them replaced by the
 * `RATE_LIMITS` variable (JSON, e.g. `{"send":{"burst":100000,"perSecond":100000}}`),
 * which the test stack and the benchmarks use to send faster than a person.
 * A malformed value is ignored, loudly: limits must not vanish on a typo.
 */
export function readRates(configured: string | undefined): Rates {
  if (!configured) return RATES;
  try {
    const given = JSON.parse(configured) as Record<string, Partial<Rate>>;
    const rates = { ...RATES };
    for (const key of Object.keys(RATES) as Limit[]) {
      const rate = given[key];
      if (rate && rate.burst! > 0 && rate.perSecond! > 0) rates[key] = { burst: rate.burst!, perSecond: rate.perSecond! };
    }
    return rates;
  } catch {
    console.error("RATE_LIMITS is not JSON; the default rate limits apply");
    return RATES;
  }
}
