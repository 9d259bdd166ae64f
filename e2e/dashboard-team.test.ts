import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { createTenant, signIn, stack, type Tenant } from "../scripts/test-kit/clients";

// An admin invites an operator, who joins from the link in their own browser;
// the admin deactivates them and their dashboard signs out at once.

let browser: Browser;
let tenant: Tenant;
let admin: Page;
let invitee: Page;
let inviteLink: string;
const email = `nina-${Date.now()}@example.test`;
const errors: string[] = [];

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  tenant = await createTenant("Team UI");
  browser = await launchBrowser();
  admin = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  invitee = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  for (const [who, page] of [["admin", admin], ["invitee", invitee]] as const) {
    page.on("pageerror", (error) => errors.push(`${who}: ${error.message}`));
  }
  admin.on("dialog", (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
});

describe("the team in a real browser", BROWSER, () => {
  it("an admin makes a group and invites an operator into it", async () => {
    await admin.goto(`${stack().url}/dashboard/`);
    await admin.fill("[data-testid=login-email]", tenant.owner.email);
    await admin.fill("[data-testid=login-password]", tenant.owner.password);
    await admin.click("[data-testid=login-submit]");
    await admin.locator("[data-testid=tab-queue]").waitFor();

    await admin.goto(`${stack().url}/dashboard/#/settings/groups`);
    await admin.fill("[data-testid=group-name]", "Billing");
    await admin.click("[data-testid=group-create]");
    await admin.locator("[data-testid=group-card]").waitFor();
    await shot(admin, "team-groups");

    await admin.click("[data-testid=settings-operators]");
    await admin.locator("[data-testid=operator-row]").first().waitFor();
    await admin.fill("[data-testid=invite-name]", "Nina New");
    await admin.fill("[data-testid=invite-email]", email);
    await admin.locator("[data-testid=invite-form] label", { hasText: "Billing" }).locator("input").check();
    await admin.click("[data-testid=invite-submit]");
    inviteLink = await admin.locator("[data-testid=invite-link]").inputValue();
    expect(inviteLink).toMatch(/\/dashboard\/#\/invite\/[A-Za-z0-9_.-]+$/);
    await admin.locator("[data-testid=invites]", { hasText: "Nina New" }).waitFor();
    await shot(admin, "team-operators-invited");
  });

  it("the invitee sets a password from the link and lands in the dashboard", async () => {
    await invitee.goto(inviteLink);
    await invitee.locator("[data-testid=invite-page]", { hasText: "Hello Nina New" }).waitFor();
    await invitee.fill("[data-testid=invite-password]", "short");
    await shot(invitee, "team-invite-page");
    await invitee.fill("[data-testid=invite-password]", "a long new password");
    await invitee.click("[data-testid=invite-accept]");
    await invitee.locator("[data-testid=tab-queue]").waitFor();
    expect(await invitee.evaluate(() => location.hash)).toBe("#/");
    // The link was for one use.
    const again = await fetch(`${stack().url}/api/ops/team/invites/${inviteLink.split("#/invite/")[1]}`);
    expect(again.status).toBe(410);
  });

  it("an operator sees no Operators or Groups tabs, and the server refuses them too", async () => {
    await invitee.click("[data-testid=nav-settings]");
    await invitee.locator("[data-testid=settings-canned]").waitFor();
    expect(await invitee.locator("[data-testid=settings-operators]").count()).toBe(0);
    expect(await invitee.locator("[data-testid=settings-groups]").count()).toBe(0);
    const status = await invitee.evaluate(async () => {
      const response = await fetch("/api/ops/team/groups", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Mine now" }),
      });
      return response.status;
    });
    expect(status).toBe(403);
    await shot(invitee, "team-operator-settings");
  });

  it("an operator changes their password under Account, which signs out their other browsers", async () => {
    const elsewhere = await signIn(email, "a long new password");
    // The password form exists only while the dialog is open.
    expect(await invitee.locator("input[type=password]").count()).toBe(0);
    await invitee.click("[data-testid=account-open]");
    await invitee.fill("[data-testid=account-current]", "not my password");
    await invitee.fill("[data-testid=account-next]", "an even longer password");
    await invitee.click("[data-testid=account-submit]");
    await expect(invitee.locator("[data-testid=account-dialog] [role=alert]").textContent()).resolves.toMatch(/password/i);
    await invitee.fill("[data-testid=account-current]", "a long new password");
    await invitee.click("[data-testid=account-submit]");
    await expect(invitee.locator("[data-testid=account-done]").textContent()).resolves.toBe("Password changed. 1 other session was signed out.");
    await shot(invitee, "team-account-password");
    expect((await elsewhere.request("/api/ops/me")).status).toBe(401);
    await invitee.click("[data-testid=account-dialog] >> text=Close");
    await invitee.locator("[data-testid=account-dialog]").waitFor({ state: "detached" });
    expect(await invitee.locator("input[type=password]").count()).toBe(0);
    // This browser stays signed in; opening again starts empty.
    await invitee.click("[data-testid=account-open]");
    await invitee.locator("[data-testid=account-dialog][open]").waitFor();
    expect(await invitee.locator("[data-testid=account-current]").inputValue()).toBe("");
    await invitee.keyboard.press("Escape");
    await invitee.locator("[data-testid=account-dialog]").waitFor({ state: "detached" });
    expect((await invitee.evaluate(() => fetch("/api/ops/me").then((r) => r.status)))).toBe(200);
  });

  it("deactivating the operator signs their dashboard out at once", async () => {
    await invitee.goto(`${stack().url}/dashboard/#/`);
    await invitee.locator("[data-testid=tab-queue]").waitFor();
    await admin.reload();
    const row = admin.locator(`[data-testid=operator-row][data-email="${email}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("Billing");
    const started = Date.now();
    await row.locator("[data-testid=deactivate]").click();
    await invitee.locator("[data-testid=login-email]").waitFor({ timeout: 15_000 });
    console.log(`signed out ${Date.now() - started} ms after the click`);
    await admin.locator(`[data-testid=operator-row][data-email="${email}"]`, { hasText: "deactivated" }).waitFor();
    await shot(admin, "team-operators-deactivated");
    await invitee.fill("[data-testid=login-email]", email);
    await invitee.fill("[data-testid=login-password]", "an even longer password");
    await invitee.click("[data-testid=login-submit]");
    await expect(invitee.locator("[data-testid=login-error]").textContent()).resolves.toMatch(/Wrong e-mail or password/);
    expect(errors).toEqual([]);
  });
});
