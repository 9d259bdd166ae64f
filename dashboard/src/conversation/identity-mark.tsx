import "./identity.css";

/**
 * Says whether a customer is who the line says: a check when the site
 * vouched for them (identify with a hash) and what is shown is what it gave,
 * "unverified" beside a name or e-mail that only the customer's word stands for.
 */
export function IdentityMark(props: { verified: boolean; claimed: boolean }) {
  if (props.verified) {
    return (
      <span class="identity verified" title="Verified: the site signed this customer's id" data-testid="identity-verified">
        ✓<span class="visually-hidden"> verified</span>
      </span>
    );
  }
  if (!props.claimed) return null;
  return (
    <span class="identity unverified" title="Unverified: typed in the chat; nothing proves it" data-testid="identity-unverified">
      unverified
    </span>
  );
}
