/** The panel's look, scoped to the widget's shadow root; the host page's CSS cannot reach it. */
export const styles = `
:host{--brand:#2563eb;--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--soft:#f1f5f9}
.panel{all:initial;position:fixed;right:20px;bottom:88px;z-index:2147483000;width:370px;height:min(600px,calc(100vh - 120px));
 display:flex;flex-direction:column;background:#fff;color:var(--ink);border-radius:16px;overflow:hidden;
 box-shadow:0 12px 48px rgba(15,23,42,.22);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.panel *{box-sizing:border-box;font:inherit}
.header{display:flex;align-items:center;gap:10px;padding:14px 12px 14px 16px;background:var(--brand);color:#fff}
.avatar{flex:none;width:36px;height:36px;border-radius:50%;display:grid;place-items:center;background:rgba(255,255,255,.2);font-weight:600}
.avatar.person{background:#fff;color:var(--brand)}
.who{flex:1;min-width:0}
.name{font-weight:600;font-size:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.status{font-size:12px;opacity:.9}
button{cursor:pointer;border:0;background:none;color:inherit}
button:focus-visible,textarea:focus-visible{outline:2px solid #93c5fd;outline-offset:2px}
.text-button{font-size:12px;padding:6px 8px;border-radius:6px;background:rgba(255,255,255,.15)}
.text-button:hover{background:rgba(255,255,255,.25)}
.icon-button{font-size:22px;line-height:1;width:32px;height:32px;border-radius:6px}
.icon-button:hover{background:rgba(255,255,255,.15)}
.messages{flex:1;overflow-y:auto;padding:16px 14px 8px;background:#fff}
ol{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.row{display:flex;flex-direction:column;align-items:flex-start;max-width:82%}
.row.mine{align-self:flex-end;align-items:flex-end}
.author{font-size:12px;color:var(--muted);margin:6px 0 2px 4px}
.bubble{padding:8px 12px;border-radius:14px 14px 14px 4px;background:var(--soft);white-space:pre-wrap;overflow-wrap:anywhere}
.mine .bubble{background:var(--brand);color:#fff;border-radius:14px 14px 4px 14px}
.pending .bubble{opacity:.6}
.meta{font-size:11px;color:var(--muted);margin:2px 4px 0}
.system{align-self:center;font-size:12px;color:var(--muted);margin:8px 0;text-align:center}
.typing{font-size:12px;color:var(--muted);padding:6px 4px 0}
.composer{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid var(--line)}
textarea{flex:1;resize:none;max-height:120px;min-height:40px;padding:10px 12px;border:1px solid var(--line);border-radius:12px;color:var(--ink);background:#fff}
textarea:focus{border-color:var(--brand);outline:none}
.send{width:40px;height:40px;border-radius:50%;display:grid;place-items:center;background:var(--brand);color:#fff}
.send:disabled{background:#cbd5e1;cursor:default}
.counter{width:100%;font-size:11px;color:#b45309}
.closed{padding:14px 16px;border-top:1px solid var(--line);text-align:center;color:var(--muted)}
.closed p{margin:0 0 10px}
.primary{padding:9px 16px;border-radius:10px;background:var(--brand);color:#fff;font-weight:600}
@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100%;border-radius:0}}
`;
