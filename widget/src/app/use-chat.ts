import { useEffect, useState } from "preact/hooks";
import type { Chat, ChatState } from "./chat";

/** The chat's state, re-rendering on every change. */
export function useChat(chat: Chat): ChatState {
  const [state, setState] = useState(chat.state);
  useEffect(() => {
    setState(chat.state);
    const unsubscribe = chat.subscribe(setState);
    return () => {
      unsubscribe();
    };
  }, [chat]);
  return state;
}
