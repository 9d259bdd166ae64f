import { embeddingsView, type EmbeddingsAnswer } from "@tandem/protocol";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { workspaces } from "../db/schema";
import { modelOf } from "./provider";
import { readCalibration, readEmbeddingsConfig } from "./settings";
import { vectorCounts } from "./store";

/**
 * The settings page's view of a workspace's semantic tier: the settings
 * without the key, and where its vectors are; `behind` says the embedder
 * has work it may not know of (the caller kicks it).
 */
export async function embeddingsAnswer(db: Db, workspaceId: string, workersAi: boolean): Promise<EmbeddingsAnswer & { behind: boolean }> {
  const [ws] = await db
    .select({ embeddings: workspaces.embeddings, calibration: sql<string | null>`json_remove(${workspaces.semanticCalibration}, '$.intents')`, version: workspaces.knowledgeVersion })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const view = embeddingsView(ws?.embeddings);
  const config = readEmbeddingsConfig(ws?.embeddings);
  const model = config ? modelOf(config) : modelOf(view);
  const counts = await vectorCounts(db, workspaceId, model);
  const calibration = readCalibration(ws?.calibration);
  const current = calibration?.model === model && calibration.checkedVersion === ws?.version;
  let reason: string | null = null;
  if (!config) reason = "the semantic tier is off";
  else if (config.provider === "workers-ai" && !workersAi) reason = "this deployment has no Workers AI binding (AI)";
  else if (!calibration?.fit || calibration.model !== model) reason = calibration?.model === model && calibration.reason ? calibration.reason : "the vectors are being computed";
  const status = { workersAi, ...counts, active: reason === null, reason };
  return { embeddings: view, status, behind: config !== null && (counts.pending > 0 || !current) };
}
