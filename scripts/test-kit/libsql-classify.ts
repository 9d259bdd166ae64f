/** What one SQL statement does to the database's write lock. */
export type StatementKind = "write" | "read" | "begin-write" | "begin" | "end";

const WRITES = new Set(["INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "REINDEX", "VACUUM", "ANALYZE"]);
/** The verbs that can follow a WITH clause's common table expressions. */
const MAIN_VERBS = new Set(["SELECT", "VALUES", "INSERT", "UPDATE", "DELETE", "REPLACE"]);

/**
 * The words of SQL text that are outside parentheses, string literals,
 * quoted identifiers and comments, split into statements at top-level `;`.
 * Enough to tell a statement's verb, also after a WITH clause, whose
 * subqueries sit inside parentheses.
 */
function topLevelWords(sql: string): string[][] {
  const statements: string[][] = [[]];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === "`" || c === "[") {
      const close = c === "[" ? "]" : c;
      i++;
      while (i < sql.length) {
        if (sql[i] === close) {
          // A doubled quote is an escaped one, not the end.
          if (close !== "]" && sql[i + 1] === close) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "(") {
      depth++;
      i++;
    } else if (c === ")") {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === ";" && depth === 0) {
      statements.push([]);
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let end = i + 1;
      while (end < sql.length && /[A-Za-z0-9_$]/.test(sql[end])) end++;
      if (depth === 0) statements[statements.length - 1].push(sql.slice(i, end).toUpperCase());
      i = end;
    } else i++;
  }
  return statements.filter((words) => words.length > 0);
}

function kindOf(words: string[]): StatementKind {
  let verb = words[0];
  if (verb === "WITH") verb = words.find((w) => MAIN_VERBS.has(w)) ?? "SELECT";
  if (verb === "BEGIN") return words[1] === "IMMEDIATE" || words[1] === "EXCLUSIVE" ? "begin-write" : "begin";
  if (verb === "COMMIT" || verb === "END" || (verb === "ROLLBACK" && !words.includes("TO"))) return "end";
  return WRITES.has(verb) ? "write" : "read";
}

/** The kind of each statement in `sql` (one, or several for a Hrana `sequence`). */
export function classifySql(sql: string): StatementKind[] {
  return topLevelWords(sql).map(kindOf);
}
