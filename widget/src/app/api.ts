import type { ApiError, PageContext } from "@tandem/protocol";
import type { hc, InferResponseType } from "hono/client";
import type { AppType } from "../../../worker/src/app";

// The answers' types come from the Worker's routes, so a change there fails
// the type check here; the calls themselves are plain fetch, because the
// widget pays for every byte it ships.
type Routes = ReturnType<typeof hc<AppType>>["api"]["widget"];
type Answer<T> = Promise<T | ApiError>;
type Session = InferResponseType<Routes["session"]["$post"], 200>;
type ConversationList = InferResponseType<Routes["conversations"]["$get"], 200>;
type Created = InferResponseType<Routes["conversations"]["$post"], 201>;
type Closed = InferResponseType<Routes["conversations"][":id"]["close"]["$post"], 200>;

/**
 * The widget's calls to the Tandem API at `origin`, with the visitor token
 * once there is one. A call rejects only when no answer came (offline); an
 * answer with an error status resolves to its `{error}` body.
 */
export function createApi(origin: string, token: () => string | null) {
  async function call<T>(path: string, body?: object): Answer<T> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const value = token();
    if (value) headers.authorization = `Bearer ${value}`;
    const response = await fetch(`${origin}/api/widget${path}`, {
      method: body ? "POST" : "GET",
      headers,
      body: body && JSON.stringify(body),
    });
    return response.json() as Answer<T>;
  }

  return {
    session: (siteKey: string) => call<Session>("/session", { siteKey, token: token() ?? undefined }),
    conversations: () => call<ConversationList>("/conversations"),
    createConversation: (context: PageContext) => call<Created>("/conversations", { context }),
    closeConversation: (id: string) => call<Closed>(`/conversations/${encodeURIComponent(id)}/close`, {}),
  };
}
