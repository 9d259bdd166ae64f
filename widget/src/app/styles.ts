// The panel's look. It lives in the loader's shadow root, so the host page's
// CSS cannot reach it and it cannot reach the page; `--brand` comes from the
// loader's :host rule and the site's colour replaces it. The host element's
// class carries the site's position (left/right) and theme (auto/light/dark).
export const styles = `
.panel{all:initial;color-scheme:light;--bg:light-dark(#fff,#0f172a);--ink:light-dark(#0f172a,#e2e8f0);--muted:light-dark(#64748b,#94a3b8);
--line:light-dark(#e2e8f0,#334155);--soft:light-dark(#f1f5f9,#1e293b);position:fixed;right:20px;bottom:88px;z-index:2147483000;
width:370px;height:min(560px,calc(100vh - 108px));display:flex;flex-direction:column;overflow:hidden;background:var(--bg);color:var(--ink);
border-radius:16px;box-shadow:0 12px 48px #0003;font:14px/1.45 system-ui,sans-serif}
:where(.panel) *{box-sizing:border-box;font:inherit;margin:0}
:where(.panel) button{cursor:pointer;border:0;background:none;color:inherit;padding:0}
.panel :focus-visible{outline:2px solid var(--brand);outline-offset:2px}
.header :focus-visible{outline-color:#fff}
.header{display:grid;grid-template-columns:auto 1fr auto auto;align-items:center;gap:0 10px;padding:12px 10px 12px 16px;background:var(--brand);color:#fff}
.avatar{grid-area:1/1/3;width:38px;height:38px;border-radius:50%;display:grid;place-items:center;background:#fff3;font-weight:600;font-size:16px;text-transform:uppercase}
.avatar.person{background:#fff;color:var(--brand)}
.name{grid-area:1/2;min-width:0;font-weight:600;font-size:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.status{grid-area:2/2/3/-1;font-size:12px;opacity:.9}
.end{grid-area:1/3;font-size:12px;padding:6px 10px;border-radius:8px;background:#ffffff26}
.icon{grid-area:1/4;width:34px;height:34px;border-radius:8px;display:grid;place-items:center}
.messages{flex:1;overflow-y:auto;padding:16px 14px 8px;overscroll-behavior:contain}
ol{list-style:none;padding:0;display:flex;flex-direction:column;gap:6px}
.row{display:flex;flex-direction:column;align-items:flex-start;max-width:80%}
.mine{align-self:flex-end;align-items:flex-end}
.author{font-size:12px;color:var(--muted);margin:8px 4px 2px}
.bubble{padding:8px 12px;border-radius:16px 16px 16px 4px;background:var(--soft);white-space:pre-wrap;overflow-wrap:anywhere}
.mine .bubble{background:var(--brand);color:#fff;border-radius:16px 16px 4px}
.pending .bubble{opacity:.55}
.failed .bubble{background:none;color:var(--ink);border:1px dashed #dc2626}
.failed button,.older{color:var(--brand);text-decoration:underline}
.meta{font-size:11px;color:var(--muted);margin:2px 4px 0}
.system{align-self:center;font-size:12px;color:var(--muted);margin:10px 0;text-align:center}
.typing{font-size:12px;color:var(--muted);padding:6px 4px 0;font-style:italic}
.composer{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;padding:10px 12px 12px;border-top:1px solid var(--line)}
textarea,input,select{width:100%;padding:10px 12px;border:1px solid var(--line);border-radius:12px;color:var(--ink);background:var(--bg)}
.composer textarea{flex:1;width:auto;resize:none;height:42px;max-height:140px}
.panel :is(textarea,input,select):focus-visible{outline:none;border-color:var(--brand);box-shadow:0 0 0 1px var(--brand)}
.send{flex:none;width:42px;height:42px;border-radius:50%;display:grid;place-items:center;background:var(--brand);color:#fff}
.send:disabled{background:#cbd5e1;cursor:default}
.closed{padding:14px 16px 16px;border-top:1px solid var(--line);text-align:center;color:var(--muted)}
.closed p{margin-bottom:10px}
.primary{padding:10px 16px;border-radius:10px;background:var(--brand);color:#fff;font-weight:600}
@media (min-width:481px){:host(.left) .panel{left:20px;right:auto}}
:host(.dark) .panel{color-scheme:dark}:host(.auto) .panel{color-scheme:light dark}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#dc2626;color:#fff;font:600 12px/20px system-ui,sans-serif}
.avatar img{width:100%;height:100%;border-radius:50%;object-fit:cover}
.bubble a{color:inherit}
.buttons{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.buttons button,.human{padding:6px 12px;border:1px solid var(--brand);border-radius:16px;color:var(--brand);background:var(--bg)}
.human{align-self:center;margin:4px 0 6px}
@media (max-width:480px){.panel{inset:0;width:auto;height:auto;border-radius:0}textarea,input,select{font-size:16px}}
`;
