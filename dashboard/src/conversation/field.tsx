import type { ComponentChildren } from "preact";

/** One labelled value of the customer card. */
export function Field(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}
