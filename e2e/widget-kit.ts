import { eq } from "drizzle-orm";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { join } from "node:path";
import { sites } from "../worker/src/db/schema";
import { SCREENSHOTS } from "../scripts/test-kit/browser";
import { createTenant, database, signIn, stack, type Tenant } from "../scripts/test-kit/clients";

// Customers' sites for the widget's browser tests: pages served from a second
// origin (not the Tandem server's), each carrying the one-line embed.

export type HostPage = {
  lang?: string;
  title?: string;
  head?: string;
  body?: string;
  /** Script run before the loader: calls into the JS API's queue. */
  before?: string;
  /** The Tandem server the embed loads from (the run's stack unless said). */
  server?: string;
};

/** A web server on 127.0.0.1 for host pages; `set(path, html)` decides what a path serves. */
export async function startHost() {
  const pages = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://host").pathname;
    const html = pages.get(path) ?? [...pages].find(([prefix]) => prefix.endsWith("*") && path.startsWith(prefix.slice(0, -1)))?.[1];
    response.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    response.end(html ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    set(path: string, html: string) {
      pages.set(path, html);
      return `${url}${path.replace(/\*$/, "")}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A shop page with the embed; `before` runs before the loader (the JS API's queue). */
export function hostPage(siteKey: string, page: HostPage = {}) {
  return `<!doctype html><html${page.lang ? ` lang="${page.lang}"` : ""}><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${page.title ?? "Shop"}</title>${page.head ?? ""}</head>
<body>${page.body ?? "<h1>Shop</h1><p>Things for sale.</p>"}
<script>window.Tandem=window.Tandem||function(){(Tandem.q=Tandem.q||[]).push(arguments)};${page.before ?? ""}</script>
<script async src="${page.server ?? stack().url}/widget/loader.js" data-site="${siteKey}"></script></body></html>`;
}

/** A tenant whose site has these settings (look, hours, form, origins…), written as the dashboard will. */
export async function siteWith(settings: Partial<typeof sites.$inferInsert> = {}, label = "Widget") {
  const tenant = await createTenant(label);
  if (Object.keys(settings).length) await database().update(sites).set(settings).where(eq(sites.id, tenant.siteId));
  return tenant;
}

/** The site's row as stored. */
export async function storedSite(tenant: Tenant) {
  const [row] = await database().select().from(sites).where(eq(sites.id, tenant.siteId));
  return row!;
}

/** The tenant's owner, signed in to the operators' API. */
export function operatorOf(tenant: Tenant) {
  return signIn(tenant.owner.email, tenant.owner.password);
}

/** A customer's browser tab; console errors and page errors are collected for the assertions. */
export async function customerPage(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce", ...options });
  const page = await context.newPage();
  const console: string[] = [];
  page.on("console", (message) => message.type() === "error" && console.push(message.text()));
  page.on("pageerror", (error) => console.push(`pageerror: ${error.message}`));
  return { page, context, console };
}

/** Opens the panel with the launcher and waits for it. */
export async function openPanel(page: Page) {
  await page.click("#l");
  await page.locator(".panel").waitFor();
}

/** Types a message and waits until the room has stored it (it has a seq). */
export async function customerSays(page: Page, text: string) {
  await page.fill(".composer textarea", text);
  await page.press(".composer textarea", "Enter");
  await page.locator("[data-author-kind][data-seq]", { hasText: text }).waitFor();
}

/** The conversation the widget on this page is in, as the loader remembers it. */
export function activeConversation(page: Page, siteKey: string) {
  return page.evaluate((key) => localStorage.getItem(`tandem:active:${key}`), siteKey);
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
