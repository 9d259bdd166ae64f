import { useCloseOutside } from "./use-close-outside";

export type Option = { id: string; name: string; color?: string };

/** A drop-down of checkboxes; none checked means all. */
export function MultiSelect(props: { label: string; options: Option[]; selected: string[]; onChange: (ids: string[]) => void; testid: string }) {
  const { label, options, selected } = props;
  const details = useCloseOutside();
  const names = options.filter((o) => selected.includes(o.id)).map((o) => o.name);
  const summary = names.length === 0 ? "All" : names.length === 1 ? names[0] : `${names.length} selected`;
  const toggle = (id: string, on: boolean) => props.onChange(on ? [...selected, id] : selected.filter((s) => s !== id));
  return (
    <details ref={details} class="an-select" data-testid={props.testid}>
      <summary class={selected.length ? "active" : undefined}>
        <span class="muted">{label}:</span> {summary}
      </summary>
      <div class="an-select-menu" role="group" aria-label={label}>
        {options.length === 0 && <p class="muted">None yet.</p>}
        {options.map((option) => (
          <label>
            <input type="checkbox" checked={selected.includes(option.id)} value={option.id} onChange={(e) => toggle(option.id, e.currentTarget.checked)} />
            {option.color && <i class="an-swatch" style={{ background: option.color }} />}
            {option.name}
          </label>
        ))}
        {selected.length > 0 && (
          <button type="button" class="ghost" onClick={() => props.onChange([])}>
            Clear
          </button>
        )}
      </div>
    </details>
  );
}
