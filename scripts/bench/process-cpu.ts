import { readFileSync, readdirSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/** The CPU time (user + system, ms) a process has used so far, from /proc; 0 if it is gone. */
function cpuOf(pid: number): number {
  try {
    // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** CPU time (ms) of a process and everything it started (wrangler's workerd, say). Linux only. */
export function treeCpuMs(pid: number): number {
  return cpuOf(pid) + childrenOf(pid).reduce((sum, child) => sum + treeCpuMs(child), 0);
}
