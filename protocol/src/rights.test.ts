import { describe, expect, it } from "vitest";
import { closeRefusal, reopenRefusal, replyRefusal } from "./rights";

const anna = { id: "anna", role: "operator" as const };
const boris = { id: "boris", role: "operator" as const };
const sue = { id: "sue", role: "supervisor" as const };
const withAnna = { assignee: { id: "anna", name: "Anna" } };

describe("rights on a conversation", () => {
  it("lets anyone answer the queue or the bot, and only its operator or a supervisor an assigned one", () => {
    for (const status of ["queued", "bot"] as const) expect(replyRefusal(boris, { status, assignee: null })).toBeNull();
    expect(replyRefusal(anna, { status: "assigned", ...withAnna })).toBeNull();
    expect(replyRefusal(sue, { status: "assigned", ...withAnna })).toBeNull();
    expect(replyRefusal(boris, { status: "assigned", ...withAnna })).toMatch(/^Anna has this conversation/);
    expect(replyRefusal(sue, { status: "closed", ...withAnna })).toMatch(/closed/);
  });

  it("closes and reopens by the same rule", () => {
    expect(closeRefusal(boris, { status: "queued", assignee: null })).toBeNull();
    expect(closeRefusal(boris, { status: "assigned", ...withAnna })).toMatch(/supervisor/);
    expect(closeRefusal(sue, { status: "assigned", ...withAnna })).toBeNull();
    expect(reopenRefusal(anna, { status: "closed", ...withAnna })).toBeNull();
    expect(reopenRefusal(boris, { status: "closed", ...withAnna })).toMatch(/^Anna had this conversation/);
    expect(reopenRefusal(boris, { status: "closed", assignee: null })).toBeNull();
    expect(reopenRefusal(sue, { status: "assigned", ...withAnna })).toMatch(/not closed/);
  });
});
