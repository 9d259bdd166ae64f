import { describe, expect, it } from "vitest";
import { createBuckets } from "./token-bucket";

describe("token buckets", () => {
  it("lets a burst through, then one per interval, and says how long to wait", () => {
    let now = 1_000_000;
    const buckets = createBuckets({ burst: 3, perSecond: 2 }, () => now);
    expect([buckets.take("a"), buckets.take("a"), buckets.take("a")]).toEqual([0, 0, 0]);
    expect(buckets.take("a")).toBe(500);
    // Another key has a bucket of its own.
    expect(buckets.take("b")).toBe(0);
    now += 499;
    expect(buckets.take("a")).toBe(1);
    now += 1;
    expect(buckets.take("a")).toBe(0);
    expect(buckets.take("a")).toBe(500);
  });

  it("charges a cost, and lets a cost above the burst go once the bucket is full, in debt", () => {
    let now = 0;
    const buckets = createBuckets({ burst: 100, perSecond: 10 }, () => now);
    expect(buckets.take("k", 60)).toBe(0);
    expect(buckets.take("k", 60)).toBe(2000);
    now += 6000;
    expect(buckets.take("k", 500)).toBe(0);
    // 100 - 500 = -400 tokens: 50 s before a cost of 100 may go again.
    expect(buckets.take("k", 100)).toBe(50_000);
  });

  it("forgets keys whose buckets filled up again", () => {
    let now = 0;
    const buckets = createBuckets({ burst: 2, perSecond: 1 }, () => now);
    for (let i = 0; i < 1000; i++) buckets.take(`visitor-${i}`);
    expect(buckets.size).toBe(1000);
    now += 61_000;
    buckets.take("late");
    expect(buckets.size).toBe(1);
  });
});
