import { CloseCode } from "@tandem/protocol";
import PartySocket from "partysocket";

const REFUSED: number[] = [CloseCode.unauthenticated, CloseCode.forbidden, CloseCode.notFound];

/** A reconnecting socket to one of our rooms on this origin; it gives up only when the room refuses us. */
export function roomSocket(party: "conversation" | "inbox", room: string, onRefused: (code: number) => void) {
  const socket = new PartySocket({
    host: location.host,
    protocol: location.protocol === "https:" ? "wss" : "ws",
    party,
    room,
    shouldReconnectOnClose: (event: CloseEvent) => !REFUSED.includes(event.code),
  });
  socket.addEventListener("close", (event: CloseEvent) => {
    if (REFUSED.includes(event.code)) onRefused(event.code);
  });
  return socket;
}

export const isSignedOut = (code: number) => code === CloseCode.unauthenticated;
