import type { DefinitionKey } from "@tandem/protocol";
import { useDrill } from "./drill";
import { change, formatOf, type Better, type Kind } from "./format";
import { Term } from "./term";

export type FigureProps = {
  label: string;
  definition: DefinitionKey;
  value: number | null;
  kind: Kind;
  /** The previous period's value; undefined when not comparing. */
  previous?: number | null;
  better?: Better;
  /** The conversations behind it, when there is a list to show. */
  drill?: string;
  /** A line under the value ("12 of 40"). */
  note?: string;
  testid?: string;
};

/** A headline figure, and with compare on, the previous period's figure and the change. */
export function Figure(props: FigureProps) {
  const open = useDrill();
  const format = formatOf[props.kind];
  const text = format(props.value);
  const delta = props.previous === undefined ? null : change(props.value, props.previous, props.kind, props.better ?? null);
  return (
    <div class="an-figure" data-testid={props.testid ?? "figure"} data-figure={props.label}>
      <div class="an-figure-label">
        <Term name={props.label} definition={props.definition} />
      </div>
      {props.drill ? (
        <button type="button" class="an-figure-value an-link" data-testid="figure-value" onClick={() => open({ drill: props.drill!, title: props.label })}>
          {text}
        </button>
      ) : (
        <div class="an-figure-value" data-testid="figure-value">
          {text}
        </div>
      )}
      {props.note && <div class="an-figure-note muted">{props.note}</div>}
      {props.previous !== undefined && (
        <div class="an-figure-before" data-testid="figure-before">
          <span class="muted">Before: {format(props.previous)}</span>
          {delta && (
            <span class={`an-change ${delta.good === null ? "" : delta.good ? "good" : "bad"}`} data-testid="figure-change">
              {delta.direction === "up" ? "▲" : delta.direction === "down" ? "▼" : ""} {delta.text}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
