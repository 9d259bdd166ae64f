import {
  ImportQuery,
  IntentBody,
  IntentEnabledBody,
  KNOWLEDGE_LIMITS,
  KnowledgeFile,
  modelView,
  PhrasingBody,
  readSiteBot,
  SiteBot,
  wellFormed,
  WorkspaceEmbeddings,
  WorkspaceModel,
} from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import * as v from "valibot";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import { requireRole } from "../auth/roles";
import { sites, workspaces } from "../db/schema";
import { embeddingsAnswer } from "../embeddings/status";
import { retryFailed } from "../embeddings/store";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { outboundPolicy, refuseOutboundUrl } from "../http/outbound-url";
import {
  addPhrasing,
  deleteIntent,
  exportKnowledge,
  importKnowledge,
  intentViews,
  KnowledgeError,
  knowledgeVersion,
  saveIntent,
  setIntentEnabled,
} from "../knowledge";
import { kickEmbedder } from "../rooms";
import type { KickReason } from "../embeddings/embedder";
import { validate } from "../validate";

type Ctx = Context<{ Bindings: Env; Variables: OperatorVariables }>;

/**
 * The knowledge base (B1). Any operator may read it (the prompter suggests
 * from it); admins and owners change it. Another workspace's intent is 404.
 */
export const knowledgeRoutes = new Hono<{ Bindings: Env; Variables: OperatorVariables }>()
  .use(csrf())
  .use("*", requireOperator())
  .onError((error, c) => {
    if (error instanceof KnowledgeError) return apiError(c, error.status, error.code, error.message);
    // Two admins saving the same new key at once: the unique index refuses the second.
    if (/UNIQUE constraint failed: intents/.test(String((error as { cause?: unknown }).cause ?? error))) {
      return apiError(c, 409, "duplicate_key", "that key is already used by another intent");
    }
    throw error;
  })
  .get("/", async (c) => {
    const { db, operator } = c.var;
    const [version, intents] = await Promise.all([knowledgeVersion(db, operator.workspaceId), intentViews(db, operator.workspaceId)]);
    return c.json({ version, intents });
  })
  .get("/export", requireRole("admin"), async (c) => {
    const body = await exportKnowledge(c.var.db, c.var.operator.workspaceId);
    return c.body(body, 200, {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": 'attachment; filename="knowledge-base.json"',
    });
  })
  .post(
    "/import",
    requireRole("admin"),
    // A realistic 1,000-intent base is ~1.6 MB; the API's 64 KiB limit must let this route through for it to apply.
    bodyLimit({
      maxSize: KNOWLEDGE_LIMITS.importBytes,
      onError: (c) => apiError(c, 413, "too_large", `an import is at most ${KNOWLEDGE_LIMITS.importBytes / 1024 / 1024} MB`),
    }),
    validate("query", ImportQuery),
    async (c) => {
      const parsed = v.safeParse(wellFormed(KnowledgeFile), await c.req.json().catch(() => undefined));
      if (!parsed.success) return apiError(c, 400, "invalid_file", fileProblem(parsed.issues[0]));
      const result = await importKnowledge(c.var.db, c.var.operator.workspaceId, parsed.output, c.req.valid("query").mode);
      await changed(c);
      return c.json(result);
    },
  )
  .get("/sites/:siteId/bot", requireRole("admin"), async (c) => {
    const site = await siteBot(c);
    return site ? c.json({ bot: readSiteBot(site.bot) }) : apiError(c, 404, "not_found", "no such site");
  })
  .put("/sites/:siteId/bot", requireRole("admin"), validate("json", SiteBot), async (c) => {
    const { db, operator } = c.var;
    const bot = c.req.valid("json");
    const updated = await db
      .update(sites)
      .set({ bot })
      .where(and(eq(sites.id, c.req.param("siteId")), eq(sites.workspaceId, operator.workspaceId)))
      .returning({ id: sites.id });
    return updated.length ? c.json({ bot }) : apiError(c, 404, "not_found", "no such site");
  })
  // The workspace's language model; the key is never sent back, only whether one is stored.
  .get("/model", requireRole("admin"), async (c) => {
    return c.json({ model: modelView(await storedModel(c)) });
  })
  .put("/model", requireRole("admin"), validate("json", WorkspaceModel), async (c) => {
    const { key, ...rest } = c.req.valid("json");
    // The bot posts the knowledge base to this URL: https to a public host (checked again before each call).
    const refusal = rest.url && refuseOutboundUrl(rest.url, outboundPolicy(c.env));
    if (refusal) return apiError(c, 400, "invalid_request", `url: ${refusal}`);
    const stored = await storedModel(c);
    // Left out: the stored key stays, for the same origin only (never sent to another host); null: removed.
    const kept = key === undefined ? keptKey(stored, rest.url) : key;
    const llm = { ...rest, ...(typeof kept === "string" && kept ? { key: kept } : {}) };
    await c.var.db.update(workspaces).set({ llm }).where(eq(workspaces.id, c.var.operator.workspaceId));
    return c.json({ model: modelView(llm) });
  })
  // The semantic tier (issue 19): the provider, and where the knowledge base's vectors are. The key is never sent back.
  .get("/embeddings", requireRole("admin"), async (c) => {
    return c.json(await embeddingsStatus(c));
  })
  .put("/embeddings", requireRole("admin"), validate("json", WorkspaceEmbeddings), async (c) => {
    const { key, ...rest } = c.req.valid("json");
    // The phrasings are posted to this URL: https to a public host (checked again before each call).
    const refusal = rest.url && refuseOutboundUrl(rest.url, outboundPolicy(c.env));
    if (refusal) return apiError(c, 400, "invalid_request", `url: ${refusal}`);
    if (rest.enabled && rest.provider === "workers-ai" && !c.env.AI) {
      return apiError(c, 400, "invalid_request", "provider: this deployment has no Workers AI binding (AI); use an OpenAI-compatible endpoint");
    }
    const [row] = await c.var.db.select({ embeddings: workspaces.embeddings }).from(workspaces).where(eq(workspaces.id, c.var.operator.workspaceId));
    const stored = (row?.embeddings ?? {}) as { key?: unknown; url?: unknown };
    // Left out: the stored key stays, for the same origin only (never sent to another host); null: removed.
    const kept = key === undefined ? keptKey(stored, rest.url) : key;
    const embeddings = { ...rest, ...(typeof kept === "string" && kept ? { key: kept } : {}) };
    await c.var.db.update(workspaces).set({ embeddings }).where(eq(workspaces.id, c.var.operator.workspaceId));
    // New settings may be what the failed texts waited for (a key, a URL): they are tried again, at once.
    await retryFailed(c.var.db, c.var.operator.workspaceId, Date.now());
    await changed(c, "settings");
    return c.json(await embeddingsStatus(c));
  })
  .post("/embeddings/retry", requireRole("admin"), async (c) => {
    await retryFailed(c.var.db, c.var.operator.workspaceId, Date.now());
    await changed(c, "settings");
    return c.json(await embeddingsStatus(c));
  })
  .get("/:id", async (c) => {
    const [intent] = await intentViews(c.var.db, c.var.operator.workspaceId, [c.req.param("id")]);
    return intent ? c.json({ intent }) : apiError(c, 404, "not_found", "no such intent");
  })
  .post("/", requireRole("admin"), validate("json", IntentBody), async (c) => {
    const intent = await saveIntent(c.var.db, c.var.operator.workspaceId, c.req.valid("json"));
    await changed(c);
    return c.json({ intent }, 201);
  })
  .put("/:id", requireRole("admin"), validate("json", IntentBody), async (c) => {
    const intent = await saveIntent(c.var.db, c.var.operator.workspaceId, c.req.valid("json"), c.req.param("id"));
    await changed(c);
    return c.json({ intent });
  })
  .delete("/:id", requireRole("admin"), async (c) => {
    await deleteIntent(c.var.db, c.var.operator.workspaceId, c.req.param("id"));
    await changed(c);
    return c.json({ ok: true });
  })
  .put("/:id/enabled", requireRole("admin"), validate("json", IntentEnabledBody), async (c) => {
    const { enabled } = c.req.valid("json");
    const intent = await setIntentEnabled(c.var.db, c.var.operator.workspaceId, c.req.param("id"), enabled);
    await changed(c);
    return c.json({ intent });
  })
  .post("/:id/phrasings", requireRole("admin"), validate("json", PhrasingBody), async (c) => {
    const intent = await addPhrasing(c.var.db, c.var.operator.workspaceId, c.req.param("id"), c.req.valid("json"));
    await changed(c);
    return c.json({ intent }, 201);
  });

/**
 * After a committed knowledge or settings change: the workspace's embedder
 * looks for new, changed and removed phrasings (it finds them in libSQL, so
 * a kick lost here is only a delay until the next one).
 */
const changed = (c: Ctx, reason: KickReason = "change") => kickEmbedder(c.env, c.var.operator.workspaceId, reason);

/** The stored key, when the URL it goes to keeps its origin: a key typed for one host is not sent to another. */
function keptKey(stored: { key?: unknown; url?: unknown }, url: string): unknown {
  const origin = (u: unknown) => {
    try {
      return new URL(String(u)).origin;
    } catch {
      return null;
    }
  };
  return typeof stored.url === "string" && stored.url !== "" && url !== "" && origin(stored.url) !== origin(url) ? undefined : stored.key;
}

/** The semantic tier's settings and status; an embedder with work waiting is told (the page polls, so a lost kick is made up). */
async function embeddingsStatus(c: Ctx) {
  const { behind, ...answer } = await embeddingsAnswer(c.var.db, c.var.operator.workspaceId, Boolean(c.env.AI));
  if (behind) await changed(c, "look");
  return answer;
}

async function siteBot(c: Ctx) {
  const [site] = await c.var.db
    .select({ bot: sites.bot })
    .from(sites)
    .where(and(eq(sites.id, c.req.param("siteId")!), eq(sites.workspaceId, c.var.operator.workspaceId)));
  return site;
}

async function storedModel(c: Ctx) {
  const [row] = await c.var.db.select({ llm: workspaces.llm }).from(workspaces).where(eq(workspaces.id, c.var.operator.workspaceId));
  return (row?.llm ?? {}) as { key?: unknown; url?: unknown };
}

/** "intents.3 (delivery-time).phrasings.ru.0: a phrasing is empty": where in a big file, by key too. */
function fileProblem(issue: v.BaseIssue<unknown>) {
  if (!issue.path) return issue.message === "Invalid type: Expected Object but received undefined" ? "the file is not JSON" : issue.message;
  const parts = issue.path.map((p, i) => {
    const key = (p.value as { key?: unknown } | undefined)?.key;
    return i === 1 && typeof key === "string" ? `${String(p.key)} (${key})` : String(p.key);
  });
  return `${parts.join(".")}: ${issue.message}`;
}
