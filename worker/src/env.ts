import type { Conversation } from "../../party/src/conversation";
import type { Inbox } from "../../party/src/inbox";
import type { Embedder } from "./embeddings/embedder";
import type { AiBinding } from "./embeddings/provider";
import type { Limiter } from "./limits/limiter";

/** Bindings of the one Worker, as declared in wrangler.toml. */
export type Env = {
  /** libSQL over HTTP: the local sqld, or Turso in production. */
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  /** Signs visitor tokens. A long random string; a secret in production. */
  TANDEM_SECRET: string;
  /** How long an operator whose dashboard disconnected stays online (default 30 s); tests shorten it. */
  PRESENCE_GRACE_MS?: string;
  /** "development" in the local stack and the tests; unset in production. Development trusts no client-sent address. */
  TANDEM_ENV?: string;
  /** Tests only: a request header whose value stands for the client's address in development. */
  ADDRESS_HEADER?: string;
  /** Where people reach this deployment, e.g. https://chat.example.com; links in invites start with it. Required in production. */
  PUBLIC_URL?: string;
  /** "true" lets workspace-configured URLs (the language model) point at loopback over http: local stack and tests only. */
  ALLOW_LOOPBACK_URLS?: string;
  /** JSON that replaces some of the default rate limits (worker/src/limits/rates.ts); tests and benchmarks only. */
  RATE_LIMITS?: string;
  /** Tests only: the embedder's first retry wait in ms (default 5 s, doubling). */
  EMBEDDING_RETRY_MS?: string;
  /** Tests only: the most phrasing vectors the semantic tier searches (default embeddings/nearest.ts MAX_SEMANTIC_VECTORS). */
  EMBEDDING_MAX_VECTORS?: string;
  /** Workers AI, when the deployment declares `[ai] binding = "AI"` (README, "The semantic tier"); absent locally. */
  AI?: AiBinding;
  Conversation: DurableObjectNamespace<Conversation>;
  Inbox: DurableObjectNamespace<Inbox>;
  /** Rate limits of the HTTP API, one object per address or visitor. */
  Limiter: DurableObjectNamespace<Limiter>;
  /** A workspace's embedder: its phrasing vectors, in the background. */
  Embedder: DurableObjectNamespace<Embedder>;
};
