// Schemas for the team API (issue 4).
import * as v from "valibot";

export const _teamPlaceholder = v.object({});
