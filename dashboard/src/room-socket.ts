import { CloseCode, isRefusal } from "@tandem/protocol";
import PartySocket from "partysocket";

/** A reconnecting socket to one of our rooms on this origin; it gives up only when the room refuses us. */
export function roomSocket(party: "conversation" | "inbox", room: string, onRefused: (code: number) => void) {
  const socket = new PartySocket({
    host: location.host,
    protocol: location.protocol === "https:" ? "wss" : "ws",
    party,
    room,
    shouldReconnectOnClose: (event: CloseEvent) => !isRefusal(event.code),
  });
  socket.addEventListener("close", (event: CloseEvent) => {
    if (isRefusal(event.code)) onRefused(event.code);
  });
  return socket;
}

export const isSignedOut = (code: number) => code === CloseCode.unauthenticated;
