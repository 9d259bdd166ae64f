import { Look, OpenHours, PrechatForm, readLook, readPrechatForm, readWorkingHours } from "@tandem/protocol";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { readAllowedOrigins, refuseOrigin } from "./allowed-origins";
import { parseStored } from "./load-site";

const defaults = { color: "#2563eb", position: "right", logoUrl: null, greeting: null, dark: "auto", language: null };

describe("stored site settings", () => {
  it("fall back to defaults when empty or not JSON", () => {
    for (const text of [null, "", "{}", "not json", "[1,2]", "null", "42"]) {
      expect(readLook(parseStored(text))).toEqual(defaults);
      expect(readWorkingHours(parseStored(text))).toEqual({});
      expect(readPrechatForm(parseStored(text))).toBeNull();
    }
  });

  it("keep a look's good fields and default the bad ones", () => {
    const look = readLook({ color: "#FF0000", position: "top", logoUrl: "http://x.example/logo.png", greeting: "Hi!", dark: "dark", language: "uk" });
    expect(look).toEqual({ ...defaults, color: "#ff0000", greeting: "Hi!", dark: "dark", language: "uk" });
    expect(readLook({ logoUrl: "https://cdn.example/logo.svg", greeting: "x".repeat(301) })).toEqual({ ...defaults, logoUrl: "https://cdn.example/logo.svg" });
  });

  it("read working hours, or always open when they are not valid", () => {
    const hours = { timeZone: "Europe/Kyiv", days: { mon: [["09:00", "18:00"]] } };
    expect(readWorkingHours(hours)).toEqual({ timeZone: "Europe/Kyiv", days: { mon: [["09:00", "18:00"]], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } });
    expect(readWorkingHours({ ...hours, timeZone: "Mars/Olympus" })).toEqual({});
    expect(readWorkingHours({ ...hours, days: { mon: [["18:00", "09:00"]] } })).toEqual({});
    expect(readWorkingHours({ ...hours, days: { mon: [["9:00", "18:00"]] } })).toEqual({});
  });

  it("read a pre-chat form; no fields is no form", () => {
    const form = { fields: [{ name: "name", required: true }, { name: "topic", required: false }], topics: ["Billing", "Delivery"] };
    expect(readPrechatForm(form)).toEqual(form);
    expect(readPrechatForm({ fields: [], topics: ["Billing"] })).toBeNull();
    expect(readPrechatForm({ fields: [{ name: "age", required: true }] })).toBeNull();
    expect(readPrechatForm({ fields: [{ name: "name", required: true }, { name: "name", required: false }] })).toBeNull();
    expect(readPrechatForm({ fields: [{ name: "name", required: true }], topics: Array(21).fill("t") })).toBeNull();
  });

  it("validate settings strictly for whoever writes them", () => {
    expect(v.safeParse(Look, { color: "blue" }).success).toBe(false);
    expect(v.safeParse(Look, { logoUrl: "javascript:alert(1)" }).success).toBe(false);
    expect(v.safeParse(OpenHours, { timeZone: "Nowhere/City", days: {} }).success).toBe(false);
    expect(v.safeParse(PrechatForm, { topics: ["x".repeat(101)] }).success).toBe(false);
  });
});

describe("allowed origins", () => {
  it("allow any origin when the list is empty or not a list", () => {
    expect(refuseOrigin(readAllowedOrigins([]), "https://anywhere.example")).toBeNull();
    expect(refuseOrigin(readAllowedOrigins(parseStored("oops")), "https://anywhere.example")).toBeNull();
  });

  it("compare origins, not spellings", () => {
    const allowed = readAllowedOrigins(["https://Shop.example/", "http://127.0.0.1:3000"]);
    expect(refuseOrigin(allowed, "https://shop.example")).toBeNull();
    expect(refuseOrigin(allowed, "http://127.0.0.1:3000")).toBeNull();
    expect(refuseOrigin(allowed, "http://shop.example")).toMatch(/^http:\/\/shop.example is not an allowed origin/);
    expect(refuseOrigin(allowed, "null")).toMatch(/not an allowed origin/);
    // No Origin header: not a page in a browser, nothing to check.
    expect(refuseOrigin(allowed, undefined)).toBeNull();
  });

  it("refuse everything when every entry is a typo, rather than allow everything", () => {
    expect(refuseOrigin(readAllowedOrigins(["shop.example"]), "https://shop.example")).not.toBeNull();
  });
});
