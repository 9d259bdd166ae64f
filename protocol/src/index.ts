export * from "./conversation";
export * from "./frames";
export * from "./http";
export * from "./id";
export * from "./inbox";
export * from "./message";
export * from "./parse-frame";
export * from "./conversation-sync";
