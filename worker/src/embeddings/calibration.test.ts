import { describe, expect, it } from "vitest";
import { ANSWER_THRESHOLD } from "../bot/matcher";
import { confidenceOf, fitCalibration, separation } from "./calibration";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe("the semantic tier's calibration", () => {
  it("puts the answer line between the own-intent and the nearest-other cosines, wherever the model puts them", () => {
    // Two models: one whose cosines sit high and close together, one spread wide.
    for (const [own, other] of [
      [
        [0.86, 0.88, 0.9, 0.91, 0.93, 0.84, 0.89],
        [0.7, 0.74, 0.72, 0.78, 0.69, 0.8, 0.75],
      ],
      [
        [0.4, 0.55, 0.62, 0.7, 0.5, 0.66],
        [0.05, 0.1, 0.2, 0.12, 0.3, 0.02],
      ],
    ]) {
      const { fit, reason } = fitCalibration(own, other);
      expect(reason).toBeNull();
      expect(confidenceOf(fit!, median(own))).toBeGreaterThan(ANSWER_THRESHOLD);
      expect(confidenceOf(fit!, median(other))).toBeLessThan(ANSWER_THRESHOLD);
      expect(confidenceOf(fit!, Math.max(...own) + 0.05)).toBeGreaterThan(confidenceOf(fit!, median(own)));
    }
  });

  it("refuses to calibrate on too few samples or on vectors that do not tell the intents apart", () => {
    expect(fitCalibration([0.9, 0.8], [0.1, 0.2, 0.3]).fit).toBeNull();
    const mixed = fitCalibration([0.5, 0.6, 0.4, 0.55], [0.52, 0.58, 0.45, 0.6]);
    expect(mixed.fit).toBeNull();
    expect(mixed.reason).toMatch(/do not tell this base's intents apart/);
  });

  it("measures separation as how often a right match beats a wrong one", () => {
    expect(separation([0.9, 0.8], [0.1, 0.2])).toBe(1);
    expect(separation([0.1], [0.9])).toBe(0);
    expect(separation([0.5], [0.5])).toBe(0.5);
  });
});
