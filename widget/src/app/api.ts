import type { ApiError, PageContext } from "@tandem/protocol";
import type { hc, InferRequestType, InferResponseType } from "hono/client";
import type { AppType } from "../../../worker/src/app";

// The answers' types come from the Worker's routes, so a change there fails
// the type check here; the calls themselves are plain fetch, because the
// widget pays for every byte it ships.
type Routes = ReturnType<typeof hc<AppType>>["api"]["widget"];
type Answer<T> = Promise<T | ApiError>;
export type Session = InferResponseType<Routes["session"]["$post"], 200>;
export type Site = Session["site"];
export type Contact = Session["contact"];
export type ContactChange = InferRequestType<Routes["contact"]["$patch"]>["json"];
export type Identity = InferRequestType<Routes["identify"]["$post"]>["json"];
export type Rating = InferRequestType<Routes["conversations"][":id"]["rating"]["$post"]>["json"];
type ConversationList = InferResponseType<Routes["conversations"]["$get"], 200>;
type NewConversation = InferRequestType<Routes["conversations"]["$post"]>["json"];
type Created = InferResponseType<Routes["conversations"]["$post"], 201>;
type Closed = InferResponseType<Routes["conversations"][":id"]["close"]["$post"], 200>;
type Identified = InferResponseType<Routes["identify"]["$post"], 200>;
type ContactAnswer = InferResponseType<Routes["contact"]["$patch"], 200>;
type Rated = InferResponseType<Routes["conversations"][":id"]["rating"]["$post"], 200>;
type Page = InferResponseType<Routes["conversations"][":id"]["messages"]["$get"], 200>;

/**
 * The widget's calls to the Tandem API at `origin`, with the visitor token
 * once there is one. A call rejects only when no answer came (offline); an
 * answer with an error status resolves to its `{error}` body, but 429 (too
 * many requests), which is tried again when the server says (`hold` tells).
 */
export function createApi(origin: string, token: () => string | null, hold: (held: boolean) => void) {
  async function call<T>(path: string, body?: object, method = body ? "POST" : "GET"): Answer<T> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const value = token();
    if (value) headers.authorization = `Bearer ${value}`;
    const response = await fetch(`${origin}/api/widget${path}`, { method, headers, body: body && JSON.stringify(body) });
    if (response.status === 429) {
      // Too many at once (S4): the server says when to try again; meanwhile what was written waits, and says so.
      hold(true);
      await new Promise((resolve) => setTimeout(resolve, (Number(response.headers.get("retry-after")) || 5) * 1000));
      hold(false);
      return call(path, body, method);
    }
    // A proxy's error page is an answer too, not a reason to send the request again.
    return response.json().catch(() => ({ error: { code: "unavailable", message: `HTTP ${response.status}` } })) as Answer<T>;
  }
  const conversation = (id: string) => `/conversations/${encodeURIComponent(id)}`;

  return {
    session: (siteKey: string) => call<Session>("/session", { siteKey, token: token() ?? undefined }),
    identify: (identity: Identity) => call<Identified>("/identify", identity),
    updateContact: (change: ContactChange) => call<ContactAnswer>("/contact", change, "PATCH"),
    conversations: () => call<ConversationList>("/conversations"),
    createConversation: (body: NewConversation) => call<Created>("/conversations", body),
    closeConversation: (id: string) => call<Closed>(`${conversation(id)}/close`, {}),
    messages: (id: string, before: number) => call<Page>(`${conversation(id)}/messages?before=${before}`),
    rate: (id: string, rating: Rating) => call<Rated>(`${conversation(id)}/rating`, rating),
  };
}

export type Api = ReturnType<typeof createApi>;
export type { PageContext };
