import type { Conversation } from "../../party/src/conversation";
import type { Inbox } from "../../party/src/inbox";

/** Bindings of the one Worker, as declared in wrangler.toml. */
export type Env = {
  /** libSQL over HTTP: the local sqld, or Turso in production. */
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  /** Signs visitor tokens. A long random string; a secret in production. */
  TANDEM_SECRET: string;
  /** How long an operator whose dashboard disconnected stays online (default 30 s); tests shorten it. */
  PRESENCE_GRACE_MS?: string;
  Conversation: DurableObjectNamespace<Conversation>;
  Inbox: DurableObjectNamespace<Inbox>;
};
