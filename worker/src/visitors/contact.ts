import { sql, type Column, type SQL } from "drizzle-orm";
import { contacts } from "../db/schema";

/** What the widget knows of its customer: enough not to ask again (W4). */
export type ContactDetails = { name: string | null; email: string | null; phone: string | null };

export const contactColumns = { name: contacts.name, email: contacts.email, phone: contacts.phone };

/**
 * True (1) when the site vouched for this contact with an identify hash and
 * `field` still holds what the site said: a name or e-mail that the customer,
 * the bot or an operator wrote is not the site's, whoever the person is.
 */
function holdsVouched(field: Column, vouched: Column): SQL<boolean> {
  // IS, not =: with a NULL on either side it still answers 0 or 1.
  return sql`(${contacts.verifiedAt} IS NOT NULL AND ${field} IS NOT NULL AND ${field} IS ${vouched})`.mapWith(Boolean);
}

/** The customer card's identity: the site's id for them and which of their details the site vouched for. */
export const identityColumns = {
  externalId: contacts.externalId,
  verified: sql`(${contacts.verifiedAt} IS NOT NULL)`.mapWith(Boolean),
  nameVerified: holdsVouched(contacts.name, contacts.verifiedName),
  emailVerified: holdsVouched(contacts.email, contacts.verifiedEmail),
};

/**
 * For a line that names the customer (an inbox row): the site vouched for
 * them and the name shown, if any, is the one it gave.
 */
export const shownNameVerified = sql`(${contacts.verifiedAt} IS NOT NULL AND (${contacts.name} IS NULL OR ${contacts.name} IS ${contacts.verifiedName}))`.mapWith(Boolean);
