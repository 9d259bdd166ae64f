/**
 * A URL someone else wrote (the customer's page, a referrer): a link only when
 * it is http(s), opened away from the dashboard; anything else is plain text.
 */
export function ExternalLink(props: { href: string; class?: string }) {
  if (!/^https?:\/\//i.test(props.href)) return <span class={props.class}>{props.href}</span>;
  return (
    <a class={props.class} href={props.href} target="_blank" rel="noopener noreferrer" title={props.href}>
      {props.href}
    </a>
  );
}
