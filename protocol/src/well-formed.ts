import * as v from "valibot";

// In a `u` regex a surrogate pair is one code point: only a lone half matches.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Where the first string in `value` (a parsed JSON body or frame, keys
 * included) that is not well-formed Unicode is: "name", "fields.2.label", or
 * "" for the value itself; null when every string is well-formed. JSON may
 * carry a lone surrogate (`"\ud800"`) that no UTF-8 store can hold.
 */
export function illFormedAt(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? path.join(".") : null;
  if (typeof value !== "object" || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return [...path, "(a key)"].join(".");
    const at = illFormedAt(item, [...path, key]);
    if (at !== null) return at;
  }
  return null;
}

/** Says what is ill-formed and where, in the words an error answer uses. */
export function illFormedMessage(at: string): string {
  return `${at ? `${at}: ` : ""}text is not well-formed Unicode (it has a lone surrogate)`;
}

/**
 * `schema`, refusing first any input with a string that is not well-formed
 * Unicode anywhere in it (DESIGN: strings are well-formed or refused at the
 * schema). Every HTTP body and every frame goes through this.
 */
export function wellFormed<S extends v.GenericSchema>(schema: S) {
  return v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => {
      const at = dataset.typed ? illFormedAt(dataset.value) : null;
      if (at !== null) addIssue({ message: illFormedMessage(at) });
    }),
    schema,
  );
}
