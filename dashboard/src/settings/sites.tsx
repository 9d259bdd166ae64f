import type { Me } from "../app";

// PLACEHOLDER: replaced by the helper that owns this tab (issue 4). Must not land as is.
export function SitesSettings(_props: { me: Me }) {
  return <p class="muted">Coming in this change.</p>;
}
