import { contacts } from "../db/schema";

/** What the widget knows of its customer: enough not to ask again (W4). */
export type ContactDetails = { name: string | null; email: string | null; phone: string | null };

export const contactColumns = { name: contacts.name, email: contacts.email, phone: contacts.phone };
