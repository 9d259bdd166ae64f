import { DEFINITIONS, type DefinitionKey } from "@tandem/protocol";
import { useState } from "preact/hooks";

let next = 0;

/**
 * A metric's name with its definition: the name's title shows it on hover, and
 * an (i) button shows it on hover or focus and describes itself with it for
 * screen readers (aria-describedby).
 */
export function Term(props: { name: string; definition: DefinitionKey; iconOnly?: boolean }) {
  const [id] = useState(() => `def-${props.definition}-${++next}`);
  const text = DEFINITIONS[props.definition];
  return (
    <span class="an-term">
      {!props.iconOnly && <span title={text}>{props.name}</span>}
      <span class="an-info-wrap">
        <button type="button" class="an-info" aria-label={`About ${props.name}`} aria-describedby={id} data-testid="definition" data-definition={props.definition}>
          i
        </button>
        <span role="tooltip" id={id} class="an-tip">
          {text}
        </span>
      </span>
    </span>
  );
}
