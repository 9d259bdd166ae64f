/** A write-only API key: typed to set or replace, never shown back; a stored one can be removed. */
export function KeyField(props: { prefix: string; keySet: boolean; value: string; remove: boolean; max: number; onKey: (key: string) => void; onRemove: (remove: boolean) => void }) {
  const { prefix, keySet } = props;
  return (
    <>
      <label>
        API key{" "}
        <span class="muted small" data-testid={`${prefix}-key-state`}>
          {keySet ? "a key is set; type a new one to replace it" : "no key set"}
        </span>
        <input
          type="password"
          autoComplete="new-password"
          maxLength={props.max}
          value={props.value}
          placeholder={keySet ? "••••••••" : ""}
          onInput={(e) => props.onKey(e.currentTarget.value)}
          data-testid={`${prefix}-key`}
        />
      </label>
      {keySet && (
        <label class="check">
          <input type="checkbox" checked={props.remove} onInput={(e) => props.onRemove(e.currentTarget.checked)} data-testid={`${prefix}-remove-key`} />
          Remove the key
        </label>
      )}
    </>
  );
}
