// What happens in one seeded conversation: the bot answers alone, hands the
// customer to people (asked, complaint, low confidence, failed twice, off
// hours), an operator takes over, or no bot at all (e-mail). People come
// when an operator of the queue's group is online; a customer may leave the
// queue first; operators transfer, go offline (the chat goes back), close;
// customers come back within the hour (reopen) and rate.
import { DEFAULT_TEXTS } from "@tandem/protocol";
import { localDay, localWeekday, nextOnline, offlineWithin, type Roster } from "./analytics-seed-calendar";
import type { Random } from "./analytics-seed-random";
import type { Actor, Story } from "./analytics-seed-story";
import { ASK_PERSON, COMMENTS, COMPLAINTS, FOLLOW_UPS, INTENT_WEIGHTS, INTENTS, OPERATOR_SAYS, THANKS, TRANSFER_NOTES, UNCLEAR, WAITING, type Lang } from "./analytics-seed-texts";
import { withinHours, type World } from "./analytics-seed-world";

export type Path = "bot_alone" | "bot_then_person" | "person_at_once" | "took_over" | "no_bot";

export type Cast = {
  site: number;
  channel: "web" | "telegram" | "email";
  lang: Lang;
  url: string | null;
  /** The customer left an e-mail or phone (the pre-chat form, an earlier chat). */
  hasContact: boolean;
};

export type Told = {
  path: Path;
  left: boolean;
  /** The customer wrote an e-mail address for an offline request. */
  gaveEmail: boolean;
  unanswered: Array<{ seq: number; text: string; reason: "low_confidence" | "failed" | "offline"; at: number }>;
  notes: Array<{ author: number; body: string; at: number }>;
};

type Claimed = { at: number; operator: number; answered: boolean };

const SYSTEM: Actor = { kind: "system", id: null };
/** Operators whose customers rate them lower: the team table and the Wilson ranking have something to show. */
const WEAKER = new Set([5, 8]);

export function tell(world: World, roster: Roster, random: Random, story: Story, cast: Cast): Told {
  const r = random;
  const L = cast.lang;
  const texts = DEFAULT_TEXTS[L];
  const visitor = story.visitor;
  const hasBot = cast.channel !== "email";
  const told: Told = { path: "bot_alone", left: false, gaveEmail: false, unanswered: [], notes: [] };
  const open = (at: number) => withinHours(at, localDay(at), localWeekday(at));

  /** The operator of the queue's group who takes the chat first, and when (routing: at once; by hand: a reaction later). */
  function firstFree(t: number, routed: boolean, except: number | null = null) {
    const members = story.group === null ? world.operators.map((_, i) => i) : world.groups[story.group].members;
    let best: { operator: number; at: number } | null = null;
    for (const operator of members) {
      if (operator === except) continue;
      const span = nextOnline(roster.online[operator], t);
      if (!span) continue;
      const reaction = routed ? r.int(80, 600) : span[0] === t ? r.duration(40_000, 1.0, 2000) : r.duration(150_000, 0.8, 5000);
      const at = Math.min(span[0] + reaction, span[0] + (span[1] - span[0]) / 2);
      if (!best || at < best.at) best = { operator, at: Math.round(at) };
    }
    return best;
  }

  /** The customer waits in the queue from `t`: someone takes the chat, or the customer gives up first. */
  function serve(t: number): Claimed | null {
    const mode = story.group === null ? "manual" : world.groups[story.group].mode;
    const found = firstFree(t, mode !== "manual");
    if (!found) {
      story.stopped = true;
      return null;
    }
    // An offline request waits for the morning; someone in the chat waits minutes, some less than others.
    const patience = story.offlineRequest ? (r.chance(0.08) ? r.duration(3_600_000, 1) : Infinity) : r.duration(720_000, 1.4, 20_000);
    if (patience < found.at - t) {
      if (r.chance(0.5)) story.say(visitor, WAITING[L], t + Math.round(patience * 0.6));
      story.close(visitor, t + Math.round(patience));
      told.left = true;
      return null;
    }
    const name = world.operators[found.operator].name;
    let answered = false;
    if (mode === "least_busy") story.claim(found.operator, true, `least busy: ${r.int(0, 3)} of 5 chats`, cast.site, found.at);
    else if (mode === "round_robin") story.claim(found.operator, true, "round robin", cast.site, found.at);
    else {
      answered = r.chance(0.4);
      story.claim(found.operator, false, answered ? "answered from the queue" : "picked by hand", cast.site, found.at);
    }
    if (!story.notice("joined", `${name} joined the conversation`, name, found.at + 40)) return null;
    if (hasBot) story.botSays(texts.greeting.replace("{operator}", name), found.at + 90);
    return { at: found.at, operator: found.operator, answered };
  }

  /**
   * When the next step after `t` can happen: if the chat's operator went
   * offline since they got it, it went back to the queue then, and goes on
   * once the next one took it (an operator's step a reaction later). Called
   * before every step while people have the chat, so its messages and events
   * stay in time order.
   */
  function stillThere(t: number, operatorActs: boolean): number | null {
    for (;;) {
      if (story.stopped || story.status !== "assigned") return null;
      const gone = offlineWithin(roster.offline[story.assignee!], story.assignedAt!, t);
      if (gone === null) return t;
      if (!story.requeue(gone)) return null;
      const claimed = serve(gone);
      if (!claimed) return null;
      const next = !operatorActs ? claimed.at + 200 : claimed.answered ? claimed.at + 150 : claimed.at + r.duration(35_000, 0.9, 3000);
      t = Math.max(t, next);
    }
  }

  function operatorSays(t: number, body: string): number | null {
    const at = stillThere(t, true);
    return at !== null && story.operatorSays(story.assignee!, body, at) ? at : null;
  }

  function transfer(t: number): number | null {
    const at = stillThere(t, true);
    if (at === null) return null;
    const from = story.assignee!;
    const note = r.pick(TRANSFER_NOTES);
    const colleagues = world.operators.map((_, i) => i).filter((i) => i !== from && nextOnline(roster.online[i], at)?.[0] === at);
    if (colleagues.length && r.chance(0.6)) {
      const to = r.pick(colleagues);
      if (!story.transfer(from, { operator: to }, note, at)) return null;
      if (note) told.notes.push({ author: from, body: note, at });
      const name = world.operators[to].name;
      story.notice("joined", `${name} joined the conversation`, name, at + 40);
      if (hasBot) story.botSays(texts.greeting.replace("{operator}", name), at + 90);
      return operatorSays(at + r.duration(40_000, 0.8, 3000), OPERATOR_SAYS[L][0]);
    }
    const others = world.groups.map((_, i) => i).filter((g) => g !== story.group);
    if (!story.transfer(from, { group: r.pick(others) }, note, at)) return null;
    if (note) told.notes.push({ author: from, body: note, at });
    const claimed = serve(at);
    if (!claimed) return null;
    return operatorSays(claimed.answered ? claimed.at + 150 : claimed.at + r.duration(35_000, 0.9, 3000), OPERATOR_SAYS[L][0]);
  }

  /** People have the chat from `claimed`: the first reply, some rounds, maybe a transfer, the close. */
  function talk(claimed: Claimed, rounds: number): boolean {
    let t: number | null = operatorSays(claimed.answered ? claimed.at + 150 : claimed.at + r.duration(35_000, 0.9, 3000), OPERATOR_SAYS[L][0]);
    const transferAt = r.chance(0.07) ? r.int(1, rounds) : 0;
    const customerSays = (at: number | null, body: string) => {
      const when = at === null ? null : stillThere(at, false);
      return when !== null && story.say(visitor, body, when) ? when : null;
    };
    for (let round = 1; round <= rounds && t !== null; round++) {
      t = customerSays(t + r.duration(45_000, 0.9, 4000), r.pick(FOLLOW_UPS[L]));
      if (t !== null && r.chance(0.2)) t = customerSays(t + r.duration(12_000, 0.6, 2000), r.pick(FOLLOW_UPS[L]));
      if (t === null) return false;
      t = operatorSays(t + r.duration(60_000, 1.0, 5000), OPERATOR_SAYS[L][1 + (round % 4)]);
      if (t !== null && round === transferAt) t = transfer(t + r.duration(20_000, 0.8, 2000));
      if (t !== null && r.chance(0.1)) t = operatorSays(t + r.duration(15_000, 0.6, 2000), OPERATOR_SAYS[L][5]);
    }
    if (t === null) return false;
    if (r.chance(0.6)) t = customerSays(t + r.duration(40_000, 0.8, 3000), r.pick(THANKS[L]));
    if (t === null) return false;
    if (r.chance(0.85)) {
      const at = stillThere(t + r.duration(90_000, 0.9, 5000), true);
      return at !== null && story.close(story.operator(story.assignee!), at);
    }
    // Silence: the idle timer closes it, unless its operator left meanwhile and the next one closes it.
    const since = story.assignedAt;
    const quiet = stillThere(t + 900_005, false);
    if (quiet === null) return false;
    if (story.assignedAt === since) return idleClose(t);
    return story.close(story.operator(story.assignee!), quiet + r.duration(60_000, 0.8, 5000));
  }

  /** The room's idle timer (B4): a reminder, then the close for silence. */
  function idleClose(t: number): boolean {
    if (hasBot && r.chance(0.6)) story.botSays(texts.reminder.replace("{minutes}", "5"), t + 600_000);
    if (hasBot) story.botSays(texts.idleClosed, t + 900_000);
    return story.close(SYSTEM, t + 900_005);
  }

  /** The bot hands over at `t` for `reason`; outside the operators' hours the customer leaves a contact first (B3). */
  function handOver(t: number, reason: string, question: { seq: number; text: string } | null, unanswered: "low_confidence" | "failed" | null): Claimed | null {
    let why = reason;
    if (hasBot && !open(t)) {
      if (!cast.hasContact) {
        story.botSays(texts.offlineAsk, t);
        t += r.duration(30_000, 0.6, 5000);
        story.say(visitor, `olena.${r.int(100, 999)}@example.com`, t);
        told.gaveEmail = true;
        t += 900;
        why = "offline request";
      } else why = `${reason}; offline request`;
      story.offlineRequest = true;
      story.botSays(texts.offlineThanks.replace("{contact}", "e-mail"), t);
    } else if (hasBot) story.botSays(texts.onTheWay, t);
    if (!story.escalate(SYSTEM, why, cast.site, t)) return null;
    const kind = unanswered ?? (story.offlineRequest ? "offline" : null);
    if (question && kind) told.unanswered.push({ ...question, reason: kind, at: t });
    return serve(t);
  }

  /** The customer's question and the bot's answer; the question's seq. */
  function botRound(t: number, text: string, answer: string | null) {
    if (!story.say(visitor, text, t)) return null;
    const seq = story.messages.length;
    if (answer !== null) story.botSays(answer, t + r.int(700, 2500));
    return { seq, text };
  }

  let t = story.createdAt;
  story.created(cast.channel, cast.url);
  const intent = r.weighted(INTENT_WEIGHTS);
  const question = INTENTS[intent].q[L];
  let claimed: Claimed | null = null;
  const rounds = r.weighted([0, 35, 35, 20, 10]);

  if (!hasBot) {
    told.path = "no_bot";
    t += r.int(500, 3000);
    if (!botRound(t, question, null)) return told;
    if (!story.escalate(SYSTEM, "no bot", cast.site, t + 300)) return told;
    claimed = serve(t + 300);
  } else {
    const roll = r.next();
    t += r.int(2000, 15_000);
    if (roll < 0.11) {
      told.path = "person_at_once";
      const ask = botRound(t, r.pick(ASK_PERSON[L]), null);
      if (!ask) return told;
      claimed = handOver(t + r.int(700, 2000), "asked for a person", null, null);
    } else if (roll < 0.59) {
      told.path = "bot_alone";
      story.intent = intent;
      const asked = r.weighted([0, 45, 35, 15, 5]);
      for (let i = 0; i < asked; i++) {
        const pick = i === 0 ? intent : r.weighted(INTENT_WEIGHTS);
        if (!botRound(t, INTENTS[pick].q[L], INTENTS[pick].answer)) return told;
        story.intent = pick;
        t += r.duration(40_000, 0.8, 5000);
      }
      if (r.chance(0.55)) {
        if (!story.say(visitor, r.pick(THANKS[L]), t)) return told;
      }
      if (r.chance(0.35)) story.close(visitor, t + r.duration(60_000, 1.0, 3000));
      else idleClose(t);
      afterClose(false);
      return told;
    } else if (roll < 0.61) {
      // An operator watching the bot steps in (A4: "an operator took over").
      told.path = "took_over";
      story.intent = intent;
      if (!botRound(t, question, INTENTS[intent].answer)) return told;
      t += r.duration(60_000, 0.8, 5000);
      const candidates = world.operators.map((_, i) => i).filter((i) => nextOnline(roster.online[i], t)?.[0] === t);
      if (!candidates.length) {
        idleClose(t);
        afterClose(false);
        return told;
      }
      const operator = r.pick(candidates);
      const name = world.operators[operator].name;
      if (!story.claim(operator, false, "took over from the bot", cast.site, t)) return told;
      story.notice("joined", `${name} joined the conversation`, name, t + 40);
      story.botSays(texts.greeting.replace("{operator}", name), t + 90);
      claimed = { at: t, operator, answered: false };
    } else {
      told.path = "bot_then_person";
      const kind = r.weighted([35, 12, 28, 13, 12]);
      let last: { seq: number; text: string } | null = null;
      const answered = kind === 1 ? 2 : kind === 0 ? r.int(0, 1) : r.int(1, 2);
      for (let i = 0; i < answered; i++) {
        const pick = i === 0 ? intent : kind === 1 ? intent : r.weighted(INTENT_WEIGHTS);
        last = botRound(t, INTENTS[pick].q[L], INTENTS[pick].answer);
        if (!last) return told;
        story.intent = pick;
        t += r.duration(40_000, 0.8, 5000);
      }
      if (kind === 0) {
        last = botRound(t, r.pick(UNCLEAR[L]), null);
        story.botMisses = 1;
        if (last) claimed = handOver(t + r.int(700, 2500), `low confidence (0.${r.int(15, 41)} < 0.42)`, last, "low_confidence");
      } else if (kind === 1) {
        last = botRound(t, INTENTS[intent].q[L], null);
        story.botMisses = 2;
        if (last) claimed = handOver(t + r.int(700, 2500), "two failed answers in a row", last, "failed");
      } else if (kind === 4) {
        // The "talk to a person" button under an answer.
        claimed = handOver(t, "asked for a person", null, null);
      } else {
        const felt = kind === 3 ? r.pick(COMPLAINTS[L]) : null;
        if (!story.say(visitor, felt ?? r.pick(ASK_PERSON[L]), t)) return told;
        claimed = handOver(t + r.int(700, 2500), kind === 3 ? "complaint" : "asked for a person", null, null);
      }
    }
  }
  if (claimed && talk(claimed, rounds)) afterClose(true);
  else if (told.left) rateAfter("left");
  return told;

  /** After a close: the customer may write again within the hour, an operator may reopen days later, and a rating. */
  function afterClose(human: boolean) {
    if (story.status !== "closed") return;
    if (r.chance(human ? 0.06 : 0.035)) {
      const at = story.closedAt! + Math.min(r.duration(480_000, 1.0, 30_000), 3_540_000);
      if (story.reopenByCustomer(at) && story.say(visitor, r.pick(FOLLOW_UPS[L]), at + 60)) {
        const again = serve(at + 60);
        if (again && talk(again, 1)) return afterClose(true);
        return;
      }
      return;
    }
    if (human && story.assignee !== null && r.chance(0.008)) {
      const operator = story.assignee;
      const span = nextOnline(roster.online[operator], story.closedAt! + r.int(1, 10) * 86_400_000);
      // A minute into a stretch online (or halfway through a shorter one).
      const at = span && Math.round(Math.min(span[0] + 60_000, (span[0] + span[1]) / 2));
      if (span && at && story.reopenByOperator(operator, at)) {
        const name = world.operators[operator].name;
        story.notice("reopened", `${name} reopened the conversation`, name, at + 40);
        const said = operatorSays(at + 60_000, OPERATOR_SAYS[L][1]);
        if (said !== null) {
          const closing = stillThere(said + r.duration(300_000, 0.8, 30_000), true);
          if (closing !== null && story.close(story.operator(story.assignee!), closing)) return afterClose(true);
        }
        return;
      }
    }
    rateAfter(human ? "human" : "bot");
  }

  function rateAfter(kind: "human" | "bot" | "left") {
    if (story.status !== "closed" || !r.chance(kind === "bot" ? 0.25 : kind === "left" ? 0.1 : 0.38)) return;
    const slow = story.firstHumanReplyAt !== null && story.escalatedAt !== null && story.firstHumanReplyAt - story.escalatedAt > 600_000;
    const weak = kind === "human" && story.assignee !== null && WEAKER.has(story.assignee) && r.chance(0.5);
    const weights = kind === "left" ? [55, 20, 12, 8, 5] : kind === "bot" ? [8, 6, 13, 25, 48] : slow || weak ? [12, 10, 18, 28, 32] : [3, 3, 8, 22, 64];
    const rating = r.weighted(weights) + 1;
    const resolved = rating >= 4 ? r.chance(0.92) : r.chance(0.25);
    const comment = r.chance(0.25) ? r.pick(COMMENTS[rating >= 4 ? "good" : "bad"]) : null;
    story.rate(rating, resolved, comment, story.closedAt! + r.duration(40_000, 1.0, 4000));
  }
}
