import { read, write } from "./storage";
import { strings } from "./strings";

const UNREAD = "tandem:unread";

/**
 * While the panel is closed (or the tab hidden), a message from the team
 * shows as a count on the launcher, plays a short tone when the browser
 * allows sound, and blinks the tab's title. Opening the panel clears it all.
 */
export function createNotifier(root: ShadowRoot, launcher: HTMLElement) {
  const badge = document.createElement("span");
  badge.className = "badge";
  launcher.append(badge);
  let count = Number(read(UNREAD)) || 0;
  let blink: ReturnType<typeof setInterval> | undefined;
  // The page's own title, and the one the blink last wrote: a title the page sets meanwhile is kept.
  let title = "";
  let shown = "";
  let audio: AudioContext | undefined;

  function show() {
    badge.textContent = count ? String(count) : "";
    badge.hidden = !count;
    launcher.setAttribute("aria-label", count ? `Chat: ${strings.newMessages(count)}` : "Chat");
    write(UNREAD, count ? String(count) : null);
  }

  // A tone needs no file. Browsers keep the context suspended until the person has interacted with the page;
  // then it stays silent, as their autoplay rules want.
  function beep() {
    try {
      audio ??= new AudioContext();
      if (audio.state !== "running") return void audio.resume().catch(() => {});
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      gain.gain.value = 0.05;
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.15);
    } catch {
      // No Web Audio: the badge and the title still say it.
    }
  }

  function clear() {
    count = 0;
    show();
    if (blink) {
      clearInterval(blink);
      blink = undefined;
      if (document.title === shown) document.title = title;
    }
  }

  show();
  root.addEventListener("pointerdown", () => audio?.resume().catch(() => {}));

  return {
    notify(added: number) {
      count += added;
      show();
      beep();
      if (blink) return;
      shown = "";
      let on = false;
      blink = setInterval(() => {
        if (document.title !== shown) title = document.title;
        on = !on;
        shown = document.title = on ? strings.newMessages(count) : title;
      }, 1000);
    },
    clear,
  };
}
