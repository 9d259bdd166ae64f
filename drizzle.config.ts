import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "turso",
  schema: "./worker/src/db/schema.ts",
  out: "./migrations",
});
