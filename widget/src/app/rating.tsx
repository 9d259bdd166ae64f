import { Component } from "preact";
import type { Rating } from "./api";
import { strings } from "./strings";

export type RatingProps = { onRate: (rating: Rating) => Promise<void> };

// Rendered with the form, so the panel's own styles stay short.
const STYLES = `.form{display:flex;flex-direction:column;gap:10px;padding:12px 16px 16px}
fieldset{border:0;padding:0;display:flex;gap:8px;flex-wrap:wrap;justify-content:center}legend{width:100%;margin-bottom:6px}
.choice{padding:6px 12px;border:1px solid var(--brand);border-radius:16px;color:var(--brand)}
[aria-pressed=true].choice{background:var(--brand);color:#fff}.stars button{font-size:26px;color:#cbd5e1}
.stars [aria-pressed=true]{color:#f59e0b}`;

type State = { resolved?: boolean; rating: number; comment: string; busy: boolean };

/** After a close (W11): resolved or not, 1–5 stars, and below 3 a comment. */
export class RatingForm extends Component<RatingProps, State> {
  state: State = { rating: 0, comment: "", busy: false };

  async #submit(event: Event) {
    event.preventDefault();
    const { resolved, rating, comment } = this.state;
    if (resolved === undefined || !rating) return;
    this.setState({ busy: true });
    await this.props.onRate({ resolved, rating, ...(rating < 3 && comment.trim() ? { comment: comment.trim() } : {}) });
    this.setState({ busy: false });
  }

  render() {
    const { resolved, rating, comment, busy } = this.state;
    return (
      <form class="form rating" onSubmit={(event) => this.#submit(event)}>
        <style>{STYLES}</style>
        <fieldset>
          <legend>{strings.resolvedQuestion}</legend>
          {[true, false].map((value) => (
            <button
              type="button"
              class="choice"
              aria-pressed={resolved === value}
              onClick={() => this.setState({ resolved: value })}
            >
              {value ? strings.yes : strings.no}
            </button>
          ))}
        </fieldset>
        <div class="stars" role="group" aria-label={strings.stars(rating)}>
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              type="button"
              aria-label={strings.stars(n)}
              aria-pressed={n <= rating}
              onClick={() => this.setState({ rating: n })}
            >
              ★
            </button>
          ))}
        </div>
        {rating > 0 && rating < 3 && (
          <textarea
            aria-label={strings.comment}
            placeholder={strings.comment}
            maxLength={2000}
            value={comment}
            onInput={(event) => this.setState({ comment: event.currentTarget.value })}
          />
        )}
        <button type="submit" class="primary" disabled={busy || resolved === undefined || !rating}>
          {strings.send}
        </button>
      </form>
    );
  }
}
