// The knowledge base (B1): its store, for the API and for the bot's rooms.
export { KnowledgeError } from "./errors";
export { exportKnowledge, importKnowledge } from "./exchange";
export { intentViews, knowledgeVersion, loadKnowledge, type KnowledgeIntent } from "./load";
export { addPhrasing, deleteIntent, saveIntent, setIntentEnabled } from "./write";
