// What every analytics figure means, written once: the Worker computes to
// these words, the dashboard shows them as tooltips, the README quotes them.

export const DEFINITIONS = {
  period:
    "A day is a calendar day in the workspace's time zone, daylight-saving changes included. A conversation counts in the period in which it started; a duration counts in the period in which it ended (the reply came, the wait ended, the conversation closed).",
  filters:
    "Site, channel, group, operator and tag filters keep the conversations that have that value now (their current group and assignee). Several values of one filter are alternatives; different filters must all hold.",
  distribution:
    "n values; min and max; mean; p50 and p90 are nearest-rank percentiles (the value at rank ⌈q·n⌉ of the sorted values). The histogram counts values up to 30 s, 1, 2, 5, 10, 30 min, 1, 4, 24 h, and above.",
  workingHours:
    "Within working hours: only the part of each duration that falls inside the site's working hours counts (a site without hours is always open). Both figures are kept; the switch chooses which one is shown.",
  firstResponse:
    "First response time: from the hand-off to people (the first escalation, operator take-over, transfer, return to the queue or customer's reopen; the creation when there was none) to the first message an operator wrote. Once per conversation: a reopen does not start it again, and the bot's time before the hand-off is not in it.",
  queueWait:
    "Queue wait: each time a conversation waited in a queue (escalated, returned to the queue, transferred to a group, reopened by the customer) until an operator got it (claimed, routed, transferred to them). A wait ended by a close is a customer who left, not a wait.",
  lifetime:
    "Lifetime: each open→close cycle, from the start (or the reopen) to the close. A reopen starts a new cycle.",
  replyTime:
    "Reply time: from a customer message to the next operator message, after the first human reply (that one is the first response). Several customer messages in a row count from the first of them.",
  abandoned:
    "Left the queue: of the conversations handed to people whose wait ended in the period (a first human reply, or a close without one), the share that closed before any person answered.",
  started: "Started: conversations created, by the day they were created.",
  escalated: "Escalated: conversations handed to people for the first time (an escalation, an operator taking over, a transfer), by the day it happened.",
  closed: "Closed: closes, by the day they happened; a reopened conversation closes again.",
  heatmap: "Conversations started by weekday and hour in the workspace's time zone.",
  presence:
    "Online, away and offline time per operator and day, from their presence changes; time before the first change in the period takes the presence the operator had then.",
  perOnlineHour: "Handled per online hour: conversations an operator handled in the period divided by their hours online; for the team, all operators' handled conversations divided by all their online hours.",
  handled: "Handled: conversations closed in the period with this operator (or group) as the last assignee. In the tables, a first response counts for the operator who wrote it and the group the conversation was in then.",
  transfers: "Transfers: transfers in the period away from this operator, or from this group to another group (a hand to another operator of the same group is not one).",
  csat:
    "CSAT: ratings customers gave in the period. Mean of 1–5, share of 4–5, and the Wilson lower bound (95 %) of that share, which ranks operators: three 5-star ratings do not beat ninety at 4.8.",
  withBot: "With the bot: conversations started in the period that the bot had: it took a turn (answered, asked, or handed over), or it handed over because it was outside its hours.",
  resolvedAlone:
    "Resolved by the bot alone: closed without ever being handed to people and not reopened within 7 days of the close. A close less than 7 days old counts as pending.",
  handedOff: "Handed to people: conversations with the bot that were ever handed to people (escalated, taken over, transferred, reopened by the customer), counted under the reason of the first hand-off.",
  handoffReasons:
    "Reasons: the customer asked for a person; a complaint; low confidence; the same question failed twice (repeated); outside hours (the bot or operators off); an operator took over from the bot; other.",
  messageShare: "Messages: the bot's and the operators' messages in conversations started in the period.",
  handoffWarning: "Warning when the hand-off share rose by more than the workspace's threshold (points) against the previous period of the same length.",
  responseRate: "Response rate: ratings given in the period against closes in the period.",
  resolved: "Resolved: the customer's yes/no answer to \"was your question resolved?\" with the rating.",
  sentiment:
    "Keyword sentiment of the customers' messages, per conversation: positive above 0.2, negative below −0.2, neutral between. The words that matched, most frequent first.",
  topics: "Topics: conversations started in the period by tag and by the bot's last matched intent, with their first response p50 and CSAT.",
} as const;

export type DefinitionKey = keyof typeof DEFINITIONS;
