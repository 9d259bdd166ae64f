// No valibot here: the widget imports these and pays for every byte.

/** WebSocket close codes a room uses when it refuses or ends a connection. */
export const CloseCode = {
  unauthenticated: 4401,
  forbidden: 4403,
  notFound: 4404,
  /** Who the socket speaks for changed (a new role): connect again to be authorized anew. */
  renewed: 1012,
} as const;

/** The room said no for good: reconnecting cannot help. */
export function isRefusal(code: number): boolean {
  return code === CloseCode.unauthenticated || code === CloseCode.forbidden || code === CloseCode.notFound;
}
