// Schemas for the routing API (issue 4).
import * as v from "valibot";

export const _routingPlaceholder = v.object({});
