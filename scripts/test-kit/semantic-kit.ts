// A small knowledge base and the semantic tier switched on against the fake embeddings server (issue 19).
import type { EmbeddingsAnswer } from "@tandem/protocol";
import { createTenant, signIn, until, type Operator } from "./clients";
import { json } from "./team-kit";

const intent = (key: string, name: string, phrasings: string[], answer: string) => ({ key, name, phrasings: { en: phrasings }, answer: { en: answer } });

/** Four intents, three phrasings each, as a site owner types them on day one. */
export const SMALL_BASE = {
  version: 1 as const,
  intents: [
    intent("delivery-cost", "Delivery cost", ["How much is delivery?", "Delivery cost", "What does delivery cost?"], "Delivery is 4.90 €, free from 40 €."),
    intent("delivery-time", "Delivery time", ["How long does delivery take?", "When will my order arrive?", "Delivery time"], "We deliver in 2–3 working days."),
    intent("refund", "Refund", ["When will I get my money back?", "How do I get my money returned?", "Money back"], "Refunds reach your card within 5 days."),
    intent("opening-hours", "Opening hours", ["When are you open?", "Opening times", "What time do you open?"], "We are open 9:00–18:00 on weekdays."),
  ],
};

/** Distinct phrasing texts of SMALL_BASE. */
export const SMALL_BASE_TEXTS = SMALL_BASE.intents.flatMap((i) => i.phrasings.en);

/** A workspace with SMALL_BASE, and its owner signed in. */
export async function smallBaseTenant(label: string, request?: (admin: Operator, path: string, init: RequestInit) => Promise<Response>) {
  const tenant = await createTenant(label);
  const admin = await signIn(tenant.owner.email, tenant.owner.password);
  const send = request ?? ((a: Operator, path: string, init: RequestInit) => a.request(path, init));
  const imported = await send(admin, "/api/ops/knowledge/import?mode=replace", json("POST", SMALL_BASE));
  if (imported.status !== 200) throw new Error(`import: ${imported.status} ${await imported.text()}`);
  return { tenant, admin };
}

export const embeddingsPath = "/api/ops/knowledge/embeddings";

/** The embeddings settings an admin saves to use the fake provider at `url`. */
export const fakeProvider = (url: string, extra: Record<string, unknown> = {}) => ({ enabled: true, provider: "openai", url, model: "fake-bge", timeoutMs: 800, key: "sk-fake", ...extra });

/** The settings page's view, as the API answers it. */
export async function embeddingsStatus(admin: Operator): Promise<EmbeddingsAnswer> {
  const response = await admin.request(embeddingsPath);
  if (response.status !== 200) throw new Error(`embeddings: ${response.status} ${await response.text()}`);
  return (await response.json()) as EmbeddingsAnswer;
}

/** Waits until the status satisfies `check`; the page's own polling is what kicks a waiting embedder. */
export async function untilStatus(admin: Operator, check: (s: EmbeddingsAnswer["status"]) => boolean, timeoutMs = 30_000) {
  let last: EmbeddingsAnswer | null = null;
  await until(async () => check((last = await embeddingsStatus(admin)).status), timeoutMs, () => `embeddings status: ${JSON.stringify(last?.status)}`);
  return last!.status;
}
