// The panel's look. It lives in the loader's shadow root, so the host page's
// CSS cannot reach it and it cannot reach the page; `--brand` comes from the
// loader's :host rule, where a site's colour will be set.
export const styles = `
.panel{all:initial;--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--soft:#f1f5f9;position:fixed;right:20px;bottom:88px;z-index:2147483000;
width:370px;height:min(560px,calc(100vh - 108px));display:flex;flex-direction:column;overflow:hidden;background:#fff;color:var(--ink);
border-radius:16px;box-shadow:0 12px 48px #0f172a33,0 2px 6px #0f172a14;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
animation:in .18s ease-out}
@keyframes in{from{opacity:0;transform:translateY(12px)}}
:where(.panel) *{box-sizing:border-box;font:inherit;margin:0}
:where(.panel) button{cursor:pointer;border:0;background:none;color:inherit;padding:0}
.panel :focus-visible{outline:2px solid var(--brand);outline-offset:2px}
.header :focus-visible{outline-color:#fff}
.header{display:grid;grid-template-columns:auto 1fr auto auto;align-items:center;gap:0 10px;padding:12px 10px 12px 16px;background:var(--brand);color:#fff}
.avatar{grid-area:1/1/3;width:38px;height:38px;border-radius:50%;display:grid;place-items:center;background:#ffffff33;font-weight:600;font-size:16px}
.avatar.person{background:#fff;color:var(--brand)}
.name{grid-area:1/2;min-width:0;font-weight:600;font-size:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.status{grid-area:2/2/3/-1;font-size:12px;opacity:.9}
.end{grid-area:1/3;font-size:12px;padding:6px 10px;border-radius:8px;background:#ffffff26}
.end:hover{background:#ffffff40}
.icon{grid-area:1/4;width:34px;height:34px;border-radius:8px;display:grid;place-items:center}
.icon:hover{background:#ffffff26}
.messages{flex:1;overflow-y:auto;padding:16px 14px 8px;overscroll-behavior:contain}
ol{list-style:none;padding:0;display:flex;flex-direction:column;gap:6px}
.row{display:flex;flex-direction:column;align-items:flex-start;max-width:80%}
.mine{align-self:flex-end;align-items:flex-end}
.author{font-size:12px;color:var(--muted);margin:8px 4px 2px}
.bubble{padding:8px 12px;border-radius:16px 16px 16px 4px;background:var(--soft);white-space:pre-wrap;overflow-wrap:anywhere}
.mine .bubble{background:var(--brand);color:#fff;border-radius:16px 16px 4px 16px}
.pending .bubble{opacity:.55}
.meta{font-size:11px;color:var(--muted);margin:2px 4px 0}
.system{align-self:center;font-size:12px;color:var(--muted);margin:10px 0;text-align:center}
.typing{font-size:12px;color:var(--muted);padding:6px 4px 0;font-style:italic}
.composer{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;padding:10px 12px 12px;border-top:1px solid var(--line)}
textarea{flex:1;resize:none;height:42px;max-height:140px;padding:10px 12px;border:1px solid var(--line);border-radius:12px;color:var(--ink);background:#fff}
textarea::placeholder{color:#94a3b8}
.panel textarea:focus-visible{outline:none;border-color:var(--brand);box-shadow:0 0 0 1px var(--brand)}
.send{flex:none;width:42px;height:42px;border-radius:50%;display:grid;place-items:center;background:var(--brand);color:#fff}
.send:disabled{background:#cbd5e1;cursor:default}
.counter{width:100%;font-size:11px;color:#b45309}
.closed{padding:14px 16px 16px;border-top:1px solid var(--line);text-align:center;color:var(--muted)}
.closed p{margin-bottom:10px}
.primary{padding:10px 16px;border-radius:10px;background:var(--brand);color:#fff;font-weight:600}
@media (max-width:480px){.panel{inset:0;width:auto;height:auto;border-radius:0;animation:none}textarea{font-size:16px}}
@media (prefers-reduced-motion:reduce){.panel{animation:none}}
`;
