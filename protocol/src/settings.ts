// Schemas for the settings API (issue 4).
import * as v from "valibot";

export const _settingsPlaceholder = v.object({});
