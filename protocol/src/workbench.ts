// Schemas for the workbench API (issue 4).
import * as v from "valibot";

export const _workbenchPlaceholder = v.object({});
