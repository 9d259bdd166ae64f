import type { ContactConversation, Note, Tag } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import type { ContactCard } from "../../../worker/src/workbench/contacts";
import { api, errorMessage, OFFLINE } from "../api";

/** The customer's details, and which of them the site vouched for (identify with a hash). */
export type Contact = ContactCard;
export type ContactEdit = { name?: string | null; email?: string | null; phone?: string | null };

export type Card = {
  topic: string | null;
  tags: Tag[];
  notes: Note[];
  /** The same customer's other conversations, newest first. */
  previous: ContactConversation[];
  /** Each action answers null when done, or what went wrong as a sentence. */
  addNote: (body: string) => Promise<string | null>;
  addTag: (tag: { tagId: string } | { name: string; color: string }) => Promise<string | null>;
  removeTag: (tagId: string) => Promise<string | null>;
  editContact: (edit: ContactEdit) => Promise<string | null>;
};

const workbench = api.workbench;

async function attempt<T>(request: () => Promise<Response>, done: (body: T) => void): Promise<string | null> {
  try {
    const response = await request();
    if (!response.ok) return await errorMessage(response);
    done((await response.json()) as T);
    return null;
  } catch {
    return OFFLINE;
  }
}

/**
 * What the workbench keeps beside a conversation: its topic, tags and private
 * notes, and the customer's other conversations. Edits to the contact come
 * back through `onContact` so the conversation's detail stays the one truth.
 */
export function useCard(conversationId: string, contactId: string | null, onContact: (contact: Contact) => void, version = 0): Card {
  const [topic, setTopic] = useState<string | null>(null);
  const [tags, setTags] = useState<Tag[]>([]);
  const [notes, setNotes] = useState<Note[]>([]);
  const [previous, setPrevious] = useState<ContactConversation[]>([]);

  // Cleared only for another conversation; a new version (another operator's change) is read over what is shown.
  useEffect(() => {
    setTags([]);
    setNotes([]);
  }, [conversationId]);

  useEffect(() => {
    let cancelled = false;
    workbench.conversations[":id"].card
      .$get({ param: { id: conversationId } })
      .then(async (response) => {
        const card = await response.json();
        if (cancelled || "error" in card) return;
        setTopic(card.topic);
        setTags(card.tags);
        setNotes(card.notes);
      })
      .catch(() => {});
    return () => void (cancelled = true);
  }, [conversationId, version]);

  useEffect(() => {
    if (!contactId) return;
    let cancelled = false;
    workbench.contacts[":id"].conversations
      .$get({ param: { id: contactId } })
      .then(async (response) => {
        const body = await response.json();
        if (!cancelled && !("error" in body)) setPrevious(body.conversations.filter((c) => c.id !== conversationId));
      })
      .catch(() => {});
    return () => void (cancelled = true);
  }, [contactId, conversationId]);

  const param = { id: conversationId };
  return {
    topic,
    tags,
    notes,
    previous,
    addNote: (body) =>
      attempt<{ note: Note }>(
        () => workbench.conversations[":id"].notes.$post({ param, json: { body } }),
        ({ note }) => setNotes((list) => [...list, note]),
      ),
    addTag: (tag) =>
      attempt<{ tags: Tag[] }>(() => workbench.conversations[":id"].tags.$post({ param, json: tag }), (body) => setTags(body.tags)),
    removeTag: (tagId) =>
      attempt<{ tags: Tag[] }>(
        () => workbench.conversations[":id"].tags[":tagId"].$delete({ param: { ...param, tagId } }),
        (body) => setTags(body.tags),
      ),
    editContact: (edit) =>
      contactId
        ? attempt<{ contact: Contact }>(
            () => workbench.contacts[":id"].$patch({ param: { id: contactId }, json: edit }),
            (body) => onContact(body.contact),
          )
        : Promise.resolve("No contact to edit."),
  };
}
