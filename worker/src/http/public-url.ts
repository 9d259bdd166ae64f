/**
 * The origin people reach this deployment at, for links we hand out (invites):
 * `PUBLIC_URL`, never the request's Host header, which whoever sends the
 * request chooses. Development without PUBLIC_URL falls back to the request's
 * own origin; production without it has none (null), and says so.
 */
export function publicOrigin(env: { PUBLIC_URL?: string; TANDEM_ENV?: string }, requestUrl: string): string | null {
  if (env.PUBLIC_URL) {
    try {
      return new URL(env.PUBLIC_URL).origin;
    } catch {
      return null;
    }
  }
  return env.TANDEM_ENV === "development" ? new URL(requestUrl).origin : null;
}
