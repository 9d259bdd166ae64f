/** Summary of a latency sample, in milliseconds. */
export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), mean, max: sorted[sorted.length - 1] };
}

export type Summary = ReturnType<typeof summarize>;

export function formatMs(value: number) {
  return `${value.toFixed(2)} ms`;
}
