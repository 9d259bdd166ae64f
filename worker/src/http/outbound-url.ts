import { mappedIPv4, parseIPv4, parseIPv6 } from "./ip-address";

// Every URL a workspace configures (the language model today; embeddings,
// webhooks and channel API bases later) is called by the Worker with the
// workspace's data in the body. In production it must be https to a public
// host, or an admin could point the Worker at the network it runs next to.
// Names are judged by how they are spelled: a Worker cannot resolve DNS
// before it fetches, and Cloudflare's own egress does not reach private
// networks, so the literal addresses and local names are what is left to refuse.

/** Whether loopback is allowed: the local stack and the tests only (`ALLOW_LOOPBACK_URLS`). */
export type OutboundPolicy = { allowLoopback: boolean };

/** The policy of this deployment; production never sets the allowance. */
export function outboundPolicy(env: { ALLOW_LOOPBACK_URLS?: string }): OutboundPolicy {
  return { allowLoopback: env.ALLOW_LOOPBACK_URLS === "true" };
}

type Range = [prefix: number[], bits: number, kind: string];

// IPv4 ranges that are not the public internet (IANA special-purpose registry).
const V4: Range[] = [
  [[0], 8, "a reserved"],
  [[10], 8, "a private"],
  [[100, 64], 10, "a shared (carrier-grade NAT)"],
  [[127], 8, "a loopback"],
  [[169, 254], 16, "a link-local"],
  [[172, 16], 12, "a private"],
  [[192, 0, 0], 24, "a reserved"],
  [[192, 0, 2], 24, "a documentation"],
  [[192, 88, 99], 24, "a reserved"],
  [[192, 168], 16, "a private"],
  [[198, 18], 15, "a benchmarking"],
  [[198, 51, 100], 24, "a documentation"],
  [[203, 0, 113], 24, "a documentation"],
  [[224], 4, "a multicast"],
  [[240], 4, "a reserved"],
];

/** Names that only mean something on a local network. */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|lan|intranet|corp)$/;

function inRange(bytes: number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[i] & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** What kind of non-public address this is ("a private"), or null for a public one. */
function ipv4Kind(bytes: number[]): string | null {
  return V4.find((range) => inRange(bytes, range))?.[2] ?? null;
}

function ipv6Kind(groups: number[]): string | null {
  if (groups.every((g, i) => g === (i === 7 ? 1 : 0))) return "a loopback";
  if (mappedIPv4(groups)) return "an IPv4-mapped";
  const [first, second] = groups;
  if ((first & 0xfe00) === 0xfc00) return "a unique-local";
  if ((first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0) return "a link-local";
  if ((first & 0xff00) === 0xff00) return "a multicast";
  // Only global unicast is public, less the blocks that stand for something else:
  // IETF protocols and Teredo (2001::/23), documentation, 6to4 (an IPv4 address inside).
  if ((first & 0xe000) !== 0x2000) return "a reserved";
  if (first === 0x2001 && second < 0x200) return "a reserved";
  if (first === 0x2001 && second === 0xdb8) return "a documentation";
  if (first === 0x3fff && second < 0x1000) return "a documentation";
  if (first === 0x2002) return "a 6to4";
  return null;
}

const isLoopback = (host: string) =>
  host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || (parseIPv4(host)?.[0] ?? 0) === 127;

/**
 * Why the Worker must not call `url`, as a sentence to show whoever set it,
 * or null when it may. The URL parser has already turned other spellings of
 * an address (`0x7f.1`, `2130706433`, `[::ffff:7f00:1]`) into the plain one.
 */
export function refuseOutboundUrl(text: string, policy: OutboundPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "this is not a URL";
  }
  if (url.username || url.password) return "the URL must not carry a user name or password; give the key in its own field";
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (policy.allowLoopback && isLoopback(host) && (url.protocol === "http:" || url.protocol === "https:")) return null;
  if (url.protocol !== "https:") return "the URL must start with https://";
  if (host.startsWith("[")) {
    const groups = parseIPv6(host.slice(1, -1));
    const kind = groups ? ipv6Kind(groups) : "an unreadable";
    return kind ? `${host} is ${kind} address; the URL must point at a public host` : null;
  }
  const v4 = parseIPv4(host);
  if (v4) {
    const kind = ipv4Kind(v4);
    return kind ? `${host} is ${kind} address; the URL must point at a public host` : null;
  }
  if (!host.includes(".") || LOCAL_NAME.test(host)) return `${host} is a local network name; the URL must point at a public host`;
  return null;
}

/** A workspace-configured URL the policy refuses; the message says why. */
export class OutboundUrlError extends Error {}

/**
 * `fetch` for workspace-configured URLs: checks the URL first (a value
 * stored before a check existed, or under other rules, is checked again),
 * and never follows a redirect, whose target nobody checked: a 3xx comes
 * back as it is, and callers take anything but 2xx as a failure.
 */
export function fetchOutbound(url: string, init: RequestInit, policy: OutboundPolicy): Promise<Response> {
  const refusal = refuseOutboundUrl(url, policy);
  if (refusal) return Promise.reject(new OutboundUrlError(refusal));
  return fetch(url, { ...init, redirect: "manual" });
}
