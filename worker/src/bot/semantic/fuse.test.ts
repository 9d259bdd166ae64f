import { describe, expect, it } from "vitest";
import { ANSWER_THRESHOLD } from "../matcher";
import { fuse } from "./fuse";

const top = (list: { intentId: string; confidence: number }[]) => list[0];

describe("fusing the lexical and the semantic matches", () => {
  it("leaves the lexical list exactly as it is when the semantic tier has nothing (off, slow, failing)", () => {
    const lexical = [
      { intentId: "delivery", confidence: 0.42 },
      { intentId: "returns", confidence: 0.1 },
    ];
    expect(fuse(lexical, null)).toBe(lexical);
    expect(fuse(lexical, undefined)).toBe(lexical);
    expect(fuse(lexical, [])).toBe(lexical);
  });

  it("answers a paraphrase the words miss when its meaning is clear", () => {
    const fused = fuse(
      [
        { intentId: "delivery-cost", confidence: 0.38 },
        { intentId: "delivery-time", confidence: 0.28 },
      ],
      [
        { intentId: "delivery-cost", confidence: 0.84 },
        { intentId: "delivery-time", confidence: 0.54 },
      ],
    );
    expect(top(fused)).toEqual({ intentId: "delivery-cost", confidence: 0.84 });
    expect(fused[1].confidence).toBeLessThan(ANSWER_THRESHOLD);
  });

  it("keeps a confident lexical match the meaning agrees with, and an unknown question under the line", () => {
    const agreed = fuse([{ intentId: "hours", confidence: 0.95 }], [{ intentId: "hours", confidence: 0.7 }]);
    expect(top(agreed)).toEqual({ intentId: "hours", confidence: 0.95 });
    const unknown = fuse(
      [{ intentId: "hours", confidence: 0.12 }],
      [
        { intentId: "hours", confidence: 0.21 },
        { intentId: "refund", confidence: 0.2 },
      ],
    );
    expect(top(unknown).confidence).toBeLessThan(ANSWER_THRESHOLD);
  });

  it("lets the meaning overrule a lexical match it contradicts", () => {
    // "I was charged twice for delivery": the words say delivery cost, the meaning says refund.
    const fused = fuse(
      [
        { intentId: "delivery-cost", confidence: 0.62 },
        { intentId: "refund", confidence: 0.2 },
      ],
      [
        { intentId: "refund", confidence: 0.9 },
        { intentId: "delivery-cost", confidence: 0.3 },
      ],
    );
    expect(top(fused).intentId).toBe("refund");
    expect(fused.find((m) => m.intentId === "delivery-cost")!.confidence).toBeCloseTo(0.32);
  });

  it("stays on the 0..1 scale and ranks ties by id, so the same inputs always decide the same", () => {
    const fused = fuse(
      [
        { intentId: "b", confidence: 1 },
        { intentId: "a", confidence: 1 },
      ],
      [
        { intentId: "a", confidence: 1 },
        { intentId: "b", confidence: 1 },
        { intentId: "c", confidence: 0 },
      ],
    );
    expect(fused.map((m) => m.intentId)).toEqual(["a", "b", "c"]);
    for (const m of fused) expect(m.confidence).toBeGreaterThanOrEqual(0);
  });

  it("leaves an intent without vectors (new, waiting on a retry, failed) at its lexical confidence", () => {
    // "new-intent" was just added: the semantic tier has no vector of it, so it is not in its list.
    const fused = fuse(
      [
        { intentId: "new-intent", confidence: 0.9 },
        { intentId: "refund", confidence: 0.7 },
      ],
      [
        { intentId: "refund", confidence: 0.8 },
        { intentId: "hours", confidence: 0.1 },
      ],
    );
    expect(top(fused)).toEqual({ intentId: "new-intent", confidence: 0.9 });
    expect(fused.find((m) => m.intentId === "refund")!.confidence).toBe(0.8);
  });

  it("takes nothing off a lexical match when the semantic tier is unsure everywhere", () => {
    const fused = fuse(
      [{ intentId: "hours", confidence: 0.6 }],
      [
        { intentId: "refund", confidence: 0.3 },
        { intentId: "hours", confidence: 0.05 },
      ],
    );
    expect(top(fused)).toEqual({ intentId: "hours", confidence: 0.6 });
    expect(top(fused).confidence).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
  });
});
