import { MODEL_LIMITS } from "@tandem/protocol";
import * as v from "valibot";
import { fetchOutbound, OutboundUrlError, type OutboundPolicy } from "../http/outbound-url";

/** A workspace's optional language model: any OpenAI-compatible chat endpoint. Off unless configured. */
export type ModelConfig = { url: string; key?: string | null; model: string; timeoutMs?: number | null };

/** What the model may answer from: the knowledge base's answers, in the customer's language. */
export type Knowledge = { name: string; answer: string }[];

export type ModelAnswer = { ok: true; answer: string } | { ok: false; reason: "timeout" | "no_answer" | "failed" };

/** Past this a customer is better served by a human than by waiting. */
export const DEFAULT_TIMEOUT_MS = MODEL_LIMITS.defaultTimeoutMs;
/** Said by the model when the knowledge does not cover the question. */
const NO_ANSWER = "NO_ANSWER";
/** The prompt carries at most this much knowledge. */
const MAX_KNOWLEDGE_CHARS = 12_000;

const LANGUAGE = { ru: "Russian", uk: "Ukrainian", en: "English" } as const;

const Completion = v.object({
  choices: v.pipe(v.array(v.object({ message: v.object({ content: v.nullable(v.string()) }) })), v.minLength(1)),
});

/** `https://host/v1` and `https://host/v1/chat/completions` both name the same endpoint. */
export function completionsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return trimmed.endsWith("/chat/completions") ? trimmed : `${trimmed}/chat/completions`;
}

function systemPrompt(knowledge: Knowledge, lang: keyof typeof LANGUAGE): string {
  let facts = "";
  for (const item of knowledge) {
    const line = `- ${item.name}: ${item.answer.replace(/\s+/g, " ")}\n`;
    if (facts.length + line.length > MAX_KNOWLEDGE_CHARS) break;
    facts += line;
  }
  return [
    "You answer a customer in a shop's live chat.",
    `Answer in ${LANGUAGE[lang]}, in two or three sentences, only from the facts below.`,
    `If the facts do not answer the question, reply with exactly ${NO_ANSWER} and nothing else.`,
    "Facts:",
    facts,
  ].join("\n");
}

/**
 * Asks the model to answer from the knowledge base when no intent matched
 * well. Any failure (slow, down, nonsense, "I don't know", a URL the
 * deployment's `policy` refuses) comes back as `ok: false` within the
 * timeout, and the bot hands the customer to a human.
 */
export async function askModel(
  config: ModelConfig,
  question: string,
  lang: keyof typeof LANGUAGE,
  knowledge: Knowledge,
  policy: OutboundPolicy,
): Promise<ModelAnswer> {
  const controller = new AbortController();
  const timeoutMs = config.timeoutMs && config.timeoutMs > 0 ? config.timeoutMs : DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // Checked again here: a URL stored before the check on save, or under a looser deployment's rules.
    const response = await fetchOutbound(
      completionsUrl(config.url),
      {
        method: "POST",
        signal: controller.signal,
        headers: { "content-type": "application/json", ...(config.key ? { authorization: `Bearer ${config.key}` } : {}) },
        body: JSON.stringify({
          model: config.model,
          temperature: 0.2,
          max_tokens: 300,
          messages: [
            { role: "system", content: systemPrompt(knowledge, lang) },
            { role: "user", content: question },
          ],
        }),
      },
      policy,
    );
    if (!response.ok) return { ok: false, reason: "failed" };
    const parsed = v.safeParse(Completion, await response.json());
    if (!parsed.success) return { ok: false, reason: "failed" };
    const answer = (parsed.output.choices[0].message.content ?? "").trim();
    if (!answer || answer.includes(NO_ANSWER)) return { ok: false, reason: "no_answer" };
    return { ok: true, answer: answer.slice(0, 2000) };
  } catch (error) {
    if (error instanceof OutboundUrlError) console.warn(`language model not asked: ${error.message}`);
    return { ok: false, reason: controller.signal.aborted ? "timeout" : "failed" };
  } finally {
    clearTimeout(timer);
  }
}
