import { newId } from "@tandem/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCountedStack, type CountedStack } from "../../scripts/test-kit/counted-stack";
import { settled, type CountedRequest } from "../../scripts/test-kit/libsql-counter";
import { openVisitor, RoomSocket, signInOperator, type Frame } from "../../scripts/test-kit/load-clients";
import { DEMO } from "../../scripts/seed";

// DESIGN's write budget: one customer message costs at most two write
// requests to libSQL in the steady state of each conversation state, and so
// does one operator message. Counted on the wire, between the Worker and
// sqld, for one conversation taken through bot → queued → assigned.

const BUDGET = 2;

type Row = { state: string; what: string; writes: number; reads: number; requests: CountedRequest[] };
const rows: Row[] = [];

let stack: CountedStack;
let customer: RoomSocket;
let operator: RoomSocket;
let conversationId: string;
let staff: Awaited<ReturnType<typeof signInOperator>>;

beforeAll(async () => {
  stack = await startCountedStack({ seed: true, keepRequests: true });
  const visitor = await openVisitor(stack.url, DEMO.siteKey);
  conversationId = await visitor.createConversation();
  customer = new RoomSocket(stack.url, conversationId, { token: visitor.token });
  await customer.join();
  staff = await signInOperator(stack.url, DEMO.email, DEMO.password);
}, 180_000);

afterAll(async () => {
  console.log(table());
  if (process.env.TANDEM_WRITE_BUDGET_SQL) for (const row of rows) console.log(`\n${row.state} / ${row.what}:\n${explain(row.requests)}`);
  customer?.ws.close();
  operator?.ws.close();
  await stack?.stop();
});

function table() {
  const lines = ["", "write requests per message (libSQL over HTTP, counted between the Worker and sqld)", ""];
  lines.push(`${"state".padEnd(10)}${"message".padEnd(58)}${"writes".padStart(7)}${"reads".padStart(7)}`);
  for (const r of rows) lines.push(`${r.state.padEnd(10)}${r.what.padEnd(58)}${String(r.writes).padStart(7)}${String(r.reads).padStart(7)}`);
  return lines.join("\n");
}

/** Each request on one line: its kind and the first words of its statements. */
function explain(requests: CountedRequest[]) {
  return requests
    .map((r) => `  ${r.kind.padEnd(6)} ${r.sql.map((s) => s.replace(/\s+/g, " ").trim().slice(0, 60)).join(" | ")}`)
    .join("\n");
}

/**
 * Counts what `act` causes: from a quiet database, through the frames `act`
 * waits for, until libSQL traffic settles (the bot's turn, sentiment and the
 * Inbox's reads run after the ack).
 */
async function measure(state: string, what: string, act: () => Promise<unknown>, quietMs?: number) {
  const counter = stack.counter!;
  await settled(counter, quietMs);
  await counter.reset();
  await act();
  const counts = await settled(counter, quietMs);
  const requests = stack.counter!.requests!();
  expect(counts.errors, explain(requests)).toBe(0);
  const row = { state, what, writes: counts.writes, reads: counts.reads, requests };
  rows.push(row);
  return row;
}

/** Sends a message from `socket` and waits for its ack, then for what `also` expects. */
async function write(socket: RoomSocket, body: string, also: (frame: Frame, seq: number) => boolean = () => true, on = socket) {
  const clientMsgId = newId();
  const from = socket.frames.length;
  const seenFrom = on.frames.length;
  socket.send({ type: "send", clientMsgId, body });
  const ack = await socket.next((f) => f.clientMsgId === clientMsgId && (f.type === "ack" || f.type === "error"), { from });
  expect(ack.type).toBe("ack");
  await on.next((f) => also(f, ack.seq), { from: on === socket ? from : seenFrom });
  return ack.seq as number;
}

const botMessageAfter = (f: Frame, seq: number) => f.type === "message" && f.message.authorKind === "bot" && f.message.seq > seq;

describe("the write budget of a message", () => {
  it("bot: a message the bot answers costs at most two write requests", async () => {
    await measure("bot", "first message (the bot greets)", () => write(customer, "Здравствуйте!", botMessageAfter));
    const answered = await measure("bot", "a question the bot answers", () => write(customer, "сколько стоит доставка?", botMessageAfter));
    const felt = await measure("bot", "one with a feeling in it (+ sentiment)", () => write(customer, "Спасибо! А где мой заказ?", botMessageAfter));
    expect(answered.writes, explain(answered.requests)).toBeLessThanOrEqual(BUDGET);
    expect(felt.writes, explain(felt.requests)).toBeLessThanOrEqual(BUDGET);
  });

  it("bot → queued: a message the bot hands over (counted, a transition)", async () => {
    await measure("bot", "a message it hands over (→ queued)", async () => {
      await write(customer, "Позовите оператора, пожалуйста", botMessageAfter);
      await customer.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    });
  });

  it("queued: a customer message costs at most two write requests", async () => {
    await write(customer, "Я подожду");
    const queued = await measure("queued", "customer message", () => write(customer, "Всё ещё жду"));
    expect(queued.writes, explain(queued.requests)).toBeLessThanOrEqual(BUDGET);
  });

  it("assigned: a customer message and an operator message cost at most two write requests each", async () => {
    operator = new RoomSocket(stack.url, conversationId, { cookie: staff.cookie });
    await operator.join();
    await measure("queued", "an operator claims it (→ assigned; counted, a transition)", async () => {
      const claimed = await staff.request(`/api/ops/conversations/${conversationId}/claim`, { method: "POST" });
      expect(claimed.status).toBe(200);
      await customer.next((f) => f.type === "conversation" && f.conversation.status === "assigned");
    });
    const seen = (f: Frame, seq: number) => f.type === "message" && f.message.seq === seq;

    await write(customer, "Здравствуйте, у меня вопрос", seen, operator);
    const fromCustomer = await measure("assigned", "customer message", () => write(customer, "Где мой заказ 1042?", seen, operator));
    expect(fromCustomer.writes, explain(fromCustomer.requests)).toBeLessThanOrEqual(BUDGET);

    await measure("assigned", "operator's first reply", () => write(operator, "Сейчас посмотрю", seen, customer));
    const fromOperator = await measure("assigned", "operator message", () => write(operator, "Заказ уже в пути", seen, customer));
    expect(fromOperator.writes, explain(fromOperator.requests)).toBeLessThanOrEqual(BUDGET);

    const feeling = await measure("assigned", "customer message with a feeling in it (+ sentiment)", () => write(customer, "Спасибо большое!", seen, operator));
    expect(feeling.writes, explain(feeling.requests)).toBeLessThanOrEqual(BUDGET);

    // What the real clients add: the widget and the dashboard, open and
    // visible, each mark everything read after every message (the widget its
    // own message too). The room tells both sides at once and stores the
    // marks with its next write, or alone two seconds later: counted with a
    // quiet of three seconds, so that later write is seen.
    const marks = async (seq: number) => {
      const read = (by: string) => (f: Frame) => f.type === "read" && f.by === by && f.seq === seq;
      const from = customer.frames.length;
      customer.send({ type: "read", seq });
      operator.send({ type: "read", seq });
      await customer.next(read("visitor"), { from });
      await customer.next(read("operator"), { from });
    };
    const alone = await write(customer, "Жду ответа", seen, operator);
    const stored = await measure("assigned", "read marks of both sides, no message after them", () => marks(alone), 3000);
    expect(stored.writes, explain(stored.requests)).toBe(1);
    const before = await write(customer, "Вы здесь?", seen, operator);
    const riding = await measure(
      "assigned",
      "read marks of both sides, then a customer message",
      async () => {
        await marks(before);
        await write(customer, "Ау", seen, operator);
      },
      3000,
    );
    expect(riding.writes, explain(riding.requests)).toBe(1);
  });
});
