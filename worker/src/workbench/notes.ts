import type { Note } from "@tandem/protocol";
import { newId } from "@tandem/protocol";
import { asc, eq } from "drizzle-orm";
import type { OperatorActor } from "../auth/actor";
import type { Db } from "../db/client";
import { notes, operators } from "../db/schema";
import { recordOperatorEvent } from "./workbench-events";

// Notes are read only here and by operators' routes: nothing on the customer's side selects from `notes`.

/** A conversation's private notes, oldest first (the conversation is already checked to be the reader's). */
export async function listNotes(db: Db, conversationId: string): Promise<Note[]> {
  const rows = await db
    .select({ id: notes.id, body: notes.body, at: notes.createdAt, authorId: operators.id, authorName: operators.name })
    .from(notes)
    .innerJoin(operators, eq(operators.id, notes.authorId))
    .where(eq(notes.conversationId, conversationId))
    .orderBy(asc(notes.createdAt), asc(notes.id));
  return rows.map(({ authorId, authorName, ...note }) => ({ ...note, author: { id: authorId, name: authorName } }));
}

export async function addNote(db: Db, operator: OperatorActor, conversationId: string, body: string): Promise<Note> {
  const at = Date.now();
  const note = { id: newId(at), conversationId, authorId: operator.id, body, createdAt: at };
  await db.batch([db.insert(notes).values(note), recordOperatorEvent(db, operator, "note_added", conversationId, { noteId: note.id }, at)]);
  return { id: note.id, body, at, author: { id: operator.id, name: operator.name } };
}
