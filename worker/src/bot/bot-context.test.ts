import { newId } from "@tandem/protocol";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { botTenant } from "../../../scripts/test-kit/bot-kit";
import { customerWrites, database } from "../../../scripts/test-kit/clients";
import { intents, suggestionFeedback, workspaces } from "../db/schema";
import { compiledKnowledge, readRecentFeedback } from "./bot-context";
import { FEEDBACK_PER_INTENT } from "./matcher";

// What the bot learns from the prompter (B6) is read from libSQL newest first, as much as the matcher keeps.

describe("the knowledge a room compiles", () => {
  it("learns from each intent's newest judgements only, so old ones age out", async () => {
    const tenant = await botTenant("Feedback window");
    const db = database();
    const [intent] = await db.select({ id: intents.id }).from(intents).where(and(eq(intents.workspaceId, tenant.workspaceId), eq(intents.key, "delivery-cost")));
    const { id: conversationId } = await customerWrites(tenant.publicKey);
    const question = "сколько стоит доставка";
    const version = async () => (await db.select({ v: workspaces.knowledgeVersion }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId)))[0].v;
    const topIs = async () => {
      await db.update(workspaces).set({ knowledgeVersion: sql`knowledge_version + 1` }).where(eq(workspaces.id, tenant.workspaceId));
      const { matcher } = await compiledKnowledge(db, tenant.workspaceId, await version());
      return matcher.match(question, { lang: "ru" })[0]?.intentId ?? null;
    };
    expect(await topIs()).toBe(intent.id);

    const row = (at: number, accepted: boolean, text: string) => ({
      id: newId(at),
      workspaceId: tenant.workspaceId,
      conversationId,
      intentId: intent.id,
      operatorId: tenant.ownerId,
      accepted,
      suggestion: "…",
      question: text,
      createdAt: at,
    });
    // An old reject of this very question sinks the intent for it…
    const start = Date.now() - 1_000_000;
    await db.insert(suggestionFeedback).values(row(start, false, question));
    expect(await topIs()).not.toBe(intent.id);
    // …until as many newer judgements of the intent push it out of what is read.
    const newer = Array.from({ length: FEEDBACK_PER_INTENT }, (_, i) => row(start + 1000 + i, true, `совсем другой вопрос номер ${i}`));
    for (let i = 0; i < newer.length; i += 50) await db.insert(suggestionFeedback).values(newer.slice(i, i + 50));
    expect(await topIs()).toBe(intent.id);
    // Read from libSQL: the newest of the intent's judgements, no more than the matcher keeps.
    const read = (await readRecentFeedback(db, tenant.workspaceId)).filter((f) => f.intentId === intent.id);
    expect(read).toHaveLength(FEEDBACK_PER_INTENT);
    expect(read.some((f) => f.question === question)).toBe(false);
  });
});
