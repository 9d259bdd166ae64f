import { describe, expect, it } from "vitest";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("tandem-demo");
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword("tandem-demo", stored)).toBe(true);
    expect(await verifyPassword("tandem-demO", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts every hash differently", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  it("refuses malformed or weakened stored hashes instead of throwing", async () => {
    const stored = await hashPassword("pw");
    const [, , salt, hash] = stored.split("$");
    for (const bad of ["", "plain", `md5$1$${salt}$${hash}`, `pbkdf2-sha256$1000000$${salt}$${hash}`, `pbkdf2-sha256$0$${salt}$${hash}`, `pbkdf2-sha256$100000$%%%$${hash}`]) {
      expect(await verifyPassword("pw", bad)).toBe(false);
    }
    expect(await verifyPassword("anything", DUMMY_PASSWORD_HASH)).toBe(false);
  });
});
