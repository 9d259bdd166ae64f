import type { Tag } from "@tandem/protocol";
import { useState } from "preact/hooks";
import { api } from "../api";

export const TAG_COLORS = ["#64748b", "#dc2626", "#ea580c", "#ca8a04", "#16a34a", "#0891b2", "#2563eb", "#9333ea"];

/** A tag as a coloured chip. */
export function TagChip(props: { tag: Tag; onRemove?: () => void }) {
  const { tag } = props;
  return (
    <span class="tag" data-testid="tag" data-name={tag.name} style={{ "--tag": tag.color }}>
      {tag.name}
      {props.onRemove && (
        <button type="button" class="tag-x" aria-label={`Remove tag ${tag.name}`} onClick={props.onRemove}>
          ×
        </button>
      )}
    </span>
  );
}

/** The conversation's tags: add one from the workspace's list, or make a new one by typing its name. */
export function TagPicker(props: {
  tags: Tag[];
  onAdd: (tag: { tagId: string } | { name: string; color: string }) => Promise<string | null>;
  onRemove: (tagId: string) => Promise<string | null>;
}) {
  const [name, setName] = useState("");
  const [color, setColor] = useState(TAG_COLORS[6]);
  const [known, setKnown] = useState<Tag[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  // The workspace's tags, for suggestions; asked for when the operator starts typing.
  function loadKnown() {
    if (known.length) return;
    api.workbench.tags
      .$get()
      .then(async (r) => {
        const body = await r.json();
        if (!("error" in body)) setKnown(body.tags);
      })
      .catch(() => {});
  }

  async function add(event: Event) {
    event.preventDefault();
    const wanted = name.trim();
    if (!wanted) return;
    const existing = known.find((t) => t.name.toLowerCase() === wanted.toLowerCase());
    const failed = await props.onAdd(existing ? { tagId: existing.id } : { name: wanted, color });
    setProblem(failed);
    if (!failed) {
      setName("");
      if (!existing) setKnown([]);
    }
  }

  const isNew = name.trim() !== "" && !known.some((t) => t.name.toLowerCase() === name.trim().toLowerCase());
  return (
    <>
      <h2>Tags</h2>
      <div class="tags" data-testid="conversation-tags">
        {props.tags.map((tag) => (
          <TagChip key={tag.id} tag={tag} onRemove={() => void props.onRemove(tag.id).then(setProblem)} />
        ))}
      </div>
      <form class="tag-form" onSubmit={(e) => void add(e)}>
        <input
          data-testid="tag-name"
          list="known-tags"
          placeholder="Add a tag…"
          maxLength={40}
          value={name}
          onFocus={loadKnown}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <datalist id="known-tags">
          {known.filter((t) => !props.tags.some((own) => own.id === t.id)).map((t) => <option key={t.id} value={t.name} />)}
        </datalist>
        {isNew && (
          <input type="color" data-testid="tag-color" aria-label="Colour of the new tag" value={color} onInput={(e) => setColor(e.currentTarget.value)} />
        )}
        <button type="submit" class="secondary" data-testid="tag-add" disabled={!name.trim()}>
          {isNew ? "Create" : "Add"}
        </button>
      </form>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
