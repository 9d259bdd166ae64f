import type { Me } from "../app";

// PLACEHOLDER (issue 4): keyboard shortcuts and the `?` overlay; the settings/search helper fills it in.
export function Shortcuts(_props: { me: Me }) {
  return null;
}
