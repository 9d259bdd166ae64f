import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { classifySql } from "./libsql-classify";

/** Counts of the HTTP requests that went through, since the last reset. */
export type LibsqlCounts = {
  /** Requests that carried a statement that writes, or ran inside a write transaction. */
  writes: number;
  reads: number;
  /** Bodies the counter could not read (protobuf, or not Hrana at all); forwarded all the same. */
  unparsed: number;
  /** Statements or requests that libSQL answered with an error (SQLITE_BUSY, say). */
  errors: number;
  /** Requests forwarded and not answered yet. */
  inFlight: number;
};

/** One request, when the counter keeps them (for debugging a count). */
export type CountedRequest = { kind: "write" | "read" | "unparsed"; path: string; sql: string[]; errors: string[] };

/** A Hrana stream's state between two HTTP requests, found again by its baton. */
type StreamState = { sqls: Map<number, string>; writeTransaction: boolean; transaction: boolean };

type HranaStmt = { sql?: string; sql_id?: number };
type HranaRequest = {
  type: string;
  stmt?: HranaStmt;
  batch?: { steps: { stmt: HranaStmt }[] };
  sql?: string;
  sql_id?: number;
};

const CONTROL = "/__counter/";

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === "gzip") return gunzipSync(body);
  if (encoding === "deflate") return inflateSync(body);
  if (encoding === "br") return brotliDecompressSync(body);
  return body;
}

/** The SQL texts of one Hrana stream request, resolving texts stored earlier with store_sql. */
function sqlOf(entry: HranaRequest, stream: StreamState): string[] {
  const text = (s: { sql?: string; sql_id?: number }) => s.sql ?? (s.sql_id !== undefined ? stream.sqls.get(s.sql_id) : undefined) ?? "";
  if (entry.type === "store_sql" && entry.sql_id !== undefined && entry.sql !== undefined) stream.sqls.set(entry.sql_id, entry.sql);
  if (entry.type === "close_sql" && entry.sql_id !== undefined) stream.sqls.delete(entry.sql_id);
  if (entry.type === "execute" && entry.stmt) return [text(entry.stmt)];
  if (entry.type === "batch" && entry.batch) return entry.batch.steps.map((step) => text(step.stmt));
  if (entry.type === "sequence") return [text(entry)];
  return [];
}

/**
 * Reads one pipeline body and says whether it holds the write lock: a
 * statement that writes, a BEGIN IMMEDIATE, or anything inside a stream
 * whose transaction has written (its COMMIT too).
 */
function classify(requests: HranaRequest[], stream: StreamState): { write: boolean; sql: string[] } {
  let write = stream.writeTransaction;
  const texts: string[] = [];
  for (const entry of requests) {
    for (const sql of sqlOf(entry, stream)) {
      texts.push(sql);
      for (const kind of classifySql(sql)) {
        if (kind === "write" || kind === "begin-write") {
          write = true;
          if (stream.transaction || kind === "begin-write") stream.writeTransaction = true;
        }
        if (kind === "begin" || kind === "begin-write") stream.transaction = true;
        if (kind === "end") stream.transaction = stream.writeTransaction = false;
      }
    }
  }
  return { write, sql: texts };
}

type PipelineAnswer = {
  baton: string | null;
  results?: { type: string; error?: { message: string }; response?: { result?: { step_errors?: ({ message: string } | null)[] } } }[];
};

/** Errors in a pipeline answer: failed stream requests and failed batch steps. */
function errorsIn(answer: PipelineAnswer) {
  const errors: string[] = [];
  for (const result of answer.results ?? []) {
    if (result.type === "error") errors.push(result.error?.message ?? "error");
    for (const step of result.response?.result?.step_errors ?? []) if (step) errors.push(step.message);
  }
  return errors;
}

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on("data", (chunk: Buffer) => chunks.push(chunk));
    message.on("end", () => resolve(Buffer.concat(chunks)));
    message.on("error", reject);
  });
}

export type LibsqlCounter = Awaited<ReturnType<typeof startLibsqlCounter>>;

/**
 * An HTTP proxy on 127.0.0.1 between the Worker and sqld that forwards every
 * request and answer unchanged and counts, per Hrana-over-HTTP request, the
 * ones that write and the ones that only read. The write lock is the
 * product's ceiling on one database; this is how tests and the benchmark see
 * what a message costs it. Also answers GET /__counter/counts and POST
 * /__counter/reset, for a counter running in another process.
 */
export async function startLibsqlCounter(target: string, options: { keepRequests?: boolean } = {}) {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const streams = new Map<string, StreamState>();
  let counts = { writes: 0, reads: 0, unparsed: 0, errors: 0 };
  let inFlight = 0;
  let kept: CountedRequest[] = [];

  const control = (path: string, res: ServerResponse) => {
    if (path === `${CONTROL}reset`) reset();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...counts, inFlight }));
  };

  const reset = () => {
    counts = { writes: 0, reads: 0, unparsed: 0, errors: 0 };
    kept = [];
  };

  const server = createServer(async (req, res) => {
    const path = req.url ?? "/";
    if (path.startsWith(CONTROL)) return control(path, res);
    const body = await readBody(req);
    let stream: StreamState | undefined;
    let seen: CountedRequest = { kind: "unparsed", path, sql: [], errors: [] };
    if (req.method === "POST" && /^\/v[23]\/pipeline$/.test(path)) {
      try {
        const parsed = JSON.parse(decode(body, req.headers["content-encoding"]).toString("utf8")) as { baton?: string | null; requests: HranaRequest[] };
        stream = (parsed.baton && streams.get(parsed.baton)) || { sqls: new Map(), writeTransaction: false, transaction: false };
        if (parsed.baton) streams.delete(parsed.baton);
        const { write, sql } = classify(parsed.requests, stream);
        seen = { kind: write ? "write" : "read", path, sql, errors: [] };
      } catch {
        stream = undefined;
      }
    }
    if (seen.kind === "write") counts.writes++;
    else if (seen.kind === "read") counts.reads++;
    else if (req.method === "POST") counts.unparsed++;
    if (options.keepRequests) kept.push(seen);
    inFlight++;

    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.rawHeaders, agent },
      async (answer) => {
        const bytes = await readBody(answer);
        try {
          if (answer.statusCode && answer.statusCode >= 400) seen.errors.push(`HTTP ${answer.statusCode}`);
          else if (stream) {
            const parsed = JSON.parse(decode(bytes, answer.headers["content-encoding"]).toString("utf8")) as PipelineAnswer;
            if (parsed.baton) streams.set(parsed.baton, stream);
            seen.errors.push(...errorsIn(parsed));
          }
        } catch {
          // Not Hrana JSON (a health check, say): counted as it is, forwarded all the same.
        }
        counts.errors += seen.errors.length;
        inFlight--;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders).end(bytes);
      },
    );
    forward.on("error", (error) => {
      counts.errors++;
      inFlight--;
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`libsql counter: ${error.message}`);
    });
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  return {
    url,
    /** A copy of the counts since the last reset. */
    counts: async (): Promise<LibsqlCounts> => ({ ...counts, inFlight }),
    /** The requests since the last reset, when started with `keepRequests`. */
    requests: (): CountedRequest[] => [...kept],
    reset: async () => reset(),
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}

// `tsx scripts/test-kit/libsql-counter.ts <sqld url>`: a counter in its own
// process (the benchmark's, so its work is not the load client's); prints its URL.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const counter = await startLibsqlCounter(process.argv[2]);
  console.log(counter.url);
  process.on("SIGTERM", () => void counter.stop().then(() => process.exit(0)));
}

/** What tests and the benchmark need of a counter, here or in another process. */
export type CounterHandle = {
  url: string;
  counts(): Promise<LibsqlCounts>;
  reset(): Promise<void>;
};

/**
 * Resolves once nothing is in flight and no request came for `quietMs`:
 * what a message caused has run its course (callers first wait for the
 * frames they expect; this catches the work that follows them).
 */
export async function settled(counter: CounterHandle, quietMs = 500, timeoutMs = 30_000): Promise<LibsqlCounts> {
  const deadline = Date.now() + timeoutMs;
  const total = (c: LibsqlCounts) => c.writes + c.reads + c.unparsed + c.errors;
  let before = await counter.counts();
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = await counter.counts();
    if (total(now) === total(before) && now.inFlight === 0 && before.inFlight === 0) return now;
    if (Date.now() > deadline) throw new Error(`libSQL traffic did not settle in ${timeoutMs} ms (${now.inFlight} in flight)`);
    before = now;
  }
}
