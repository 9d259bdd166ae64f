// Every word the widget shows. Russian and Ukrainian join as siblings of
// `en` with the same shape; phrases with a number or a name are functions, so
// each language can place and inflect them its own way.
const en = {
  greeting: "Hi! How can we help you today?",
  placeholder: "Write a message…",
  send: "Send",
  endChat: "End chat",
  closePanel: "Close chat",
  team: "Support",
  connecting: "Connecting…",
  offline: "You're offline. Your messages will be sent when you're back online.",
  waiting: "Waiting for an operator…",
  here: (name: string) => `${name} is here`,
  replyTime: "We usually reply in a few minutes",
  ended: "Conversation ended",
  refused: "The chat could not connect. Please reload the page.",
  misconfigured: "This chat is not set up correctly.",
  typing: (name: string) => `${name} is typing…`,
  sending: "Sending…",
  notSent: "Not sent yet",
  joined: (name: string) => `${name} joined the conversation`,
  closedNotice: "The conversation was closed",
  closed: "This conversation is closed.",
  startNew: "Start a new conversation",
  charactersLeft: (left: number) => `${left} characters left`,
};

export type Strings = typeof en;

export const strings: Strings = en;
