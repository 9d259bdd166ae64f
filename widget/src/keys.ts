// localStorage keys the loader and the app share.

/** + site key: the id of the conversation in progress, so the next page loads the chat at once. */
export const ACTIVE = "tandem:active:";
/** The navigation trail, newest last. */
export const TRAIL = "tandem:trail";
/** + site key: the launcher's side and colour as inline CSS, so it appears right before the app is here. */
export const LOOK = "tandem:look:";
