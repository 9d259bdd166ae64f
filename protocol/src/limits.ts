// No valibot here: the widget imports these and pays for every byte.

/** The longest message body a person may send, in characters. */
export const MAX_BODY_LENGTH = 5000;
