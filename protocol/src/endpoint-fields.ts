// The fields of an outbound endpoint a workspace configures (its language
// model, its embeddings provider): one set of rules and messages for both.
import * as v from "valibot";

function isHttp(text: string) {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** An http(s) URL, or empty while the endpoint is off. */
export const endpointUrl = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.maxLength(max, `a URL has at most ${max} characters`),
    v.check((url) => url === "" || isHttp(url), "the URL must start with http:// or https://"),
  );

export const modelName = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, `a model name has at most ${max} characters`));

export const timeoutMs = (min: number, max: number) =>
  v.pipe(
    v.number("the timeout is a number of milliseconds"),
    v.integer("the timeout is a whole number of milliseconds"),
    v.minValue(min, `the timeout is at least ${min} ms`),
    v.maxValue(max, `the timeout is at most ${max} ms`),
  );

/** Write-only: a string sets it, `null` removes it, left out keeps the stored one. */
export const writeOnlyKey = (max: number) =>
  v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.minLength(1, "the key is empty"), v.maxLength(max, `a key has at most ${max} characters`))));
