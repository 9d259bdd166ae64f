import { createContext, type RefObject } from "preact";
import { useContext, useLayoutEffect, useRef, useState } from "preact/hooks";

/**
 * Charts are drawn at the pixel width of their box, so their text stays at
 * its size in a wide card and a narrow one (a scaled viewBox would scale it).
 */
export const ChartWidth = createContext(640);

export const useChartWidth = () => useContext(ChartWidth);

/** The content width of an element, followed as it changes; 0 before it is laid out. */
export function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
