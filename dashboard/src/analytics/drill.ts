import { createContext } from "preact";
import { useContext } from "preact/hooks";

/** What a bar, cell or row stands for (a Drill string of the protocol) and the words the list is titled with. */
export type DrillTarget = { drill: string; title: string };

export const DrillContext = createContext<(target: DrillTarget) => void>(() => undefined);

/** Opens the list of the conversations behind a figure. */
export const useDrill = () => useContext(DrillContext);
