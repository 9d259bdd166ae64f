// Unanswered questions (B5): what the bot could not answer, grouped, added to intents or dismissed.
export { GROUP_THRESHOLD, groupByText } from "./group";
export { addToIntent, dismiss, listGroups, LIST_LIMIT } from "./store";
