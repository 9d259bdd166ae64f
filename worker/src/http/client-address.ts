import { mappedIPv4, parseIPv6 } from "./ip-address";

/** `Pick<Env, "TANDEM_ENV" | "ADDRESS_HEADER">`, spelled out so Node-side tests need no Workers types. */
export type AddressEnv = { TANDEM_ENV?: string; ADDRESS_HEADER?: string };

/** The address of every request in local development that names none: one shared key, not a client. */
export const LOCAL_ADDRESS = "local";

/**
 * Who is asking, as a key for throttles and rate limits.
 *
 * In production Cloudflare sets `CF-Connecting-IP` and overwrites whatever
 * the client sent; an IPv6 client counts as its /64, since one subscriber
 * usually holds a whole /64 and could otherwise step through addresses.
 * "unknown" when the header is missing (never behind Cloudflare).
 *
 * In local development miniflare passes a client's own `CF-Connecting-IP`
 * through, so it is not trusted: every request is "local", unless
 * `ADDRESS_HEADER` names a header the tests set to act as different addresses.
 */
export function clientAddress(request: Request, env: AddressEnv): string {
  if (env.TANDEM_ENV === "development") {
    return (env.ADDRESS_HEADER && request.headers.get(env.ADDRESS_HEADER)?.trim()) || LOCAL_ADDRESS;
  }
  const address = request.headers.get("cf-connecting-ip")?.trim();
  if (!address) return "unknown";
  const groups = address.includes(":") ? parseIPv6(address) : null;
  if (!groups) return address;
  const v4 = mappedIPv4(groups);
  if (v4) return v4.join(".");
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}
