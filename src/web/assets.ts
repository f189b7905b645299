/**
 * The web view's only stylesheet and script, served from the Worker itself so the Content-Security-Policy can
 * forbid every inline script and style. The script only improves what already works as plain forms.
 */
export const APP_CSS = `
:root{--fg:#1b1f24;--muted:#5b6470;--line:#d8dee4;--bg:#fff;--soft:#f6f8fa;--accent:#0b5cad;--ok:#1a7f37;--bad:#c62828;--warn:#9a6700;--gold:#b08800}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #7aa7e0;outline-offset:2px}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:var(--soft)}
header.top .brand{font-weight:700;text-decoration:none;color:var(--fg)}
header.top nav{display:flex;gap:1rem}
header.top nav a[aria-current=page]{font-weight:700;text-decoration:none;color:var(--fg)}
header.top .who{margin-left:auto;color:var(--muted);display:flex;gap:.75rem;align-items:center}
main{padding:1rem;max-width:1200px;margin:0 auto}
h1{font-size:1.4rem;margin:.25rem 0 1rem}
.notice{padding:.6rem .8rem;border-radius:6px;background:#ddf4e4;border:1px solid #a6dfb5;margin:0 0 1rem}
.error{padding:.6rem .8rem;border-radius:6px;background:#fde7e7;border:1px solid #f3b4b4;margin:0 0 1rem}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin-bottom:1rem}
form.filters label,fieldset label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
fieldset{border:1px solid var(--line);border-radius:6px;padding:.4rem .7rem}
fieldset.inline{display:flex;gap:.75rem;flex-wrap:wrap}
fieldset.inline label{flex-direction:row;gap:.3rem;align-items:center;color:var(--fg)}
input,select,textarea,button{font:inherit}
label input,label select,label textarea{font-weight:400}
input[type=text],input[type=search],input[type=password],select,textarea{padding:.35rem .5rem;border:1px solid var(--line);border-radius:6px;min-width:0;background:#fff;color:inherit}
input[type=text],input[type=search],input[type=password],select{height:2.3rem}
form.filters>a{line-height:2.3rem}
textarea{width:100%;min-height:6rem}
button{padding:.4rem .8rem;border:1px solid var(--line);border-radius:6px;background:var(--soft);cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:.45rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap}
td.nowrap{white-space:nowrap}
.badge{display:inline-block;padding:0 .45rem;border-radius:999px;font-size:.8rem;border:1px solid var(--line);white-space:nowrap}
.badge.golden{background:#fff8c5;border-color:#e3c65a}.badge.correct{background:#ddf4e4;border-color:#a6dfb5}
.badge.incorrect{background:#fde7e7;border-color:#f3b4b4}.badge.needs_review{background:#eef1f4}
.badge.ready{background:#ddebfb;border-color:#9cc2ec}
.tag{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 .3rem;margin:0 .2rem .2rem 0;font-size:.8rem}
.pager{display:flex;gap:1rem;margin:.75rem 0}
.muted{color:var(--muted)}
.chart{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:1rem;margin-bottom:1rem;align-items:start}
.chart figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem}
.chart figcaption{font-weight:600;margin-bottom:.25rem}
.chart svg{display:block;max-width:26rem}
.chart svg text{font-size:12px;fill:var(--fg)}
.conversation{display:flex;flex-direction:column;gap:.6rem;margin-bottom:1.5rem}
.msg{border:1px solid var(--line);border-radius:8px;padding:.5rem .75rem;background:#fff}
.msg.user{background:#f1f7ff}.msg.system{background:#f6f6f6}.msg.tool{background:#fbfbf4}
.msg .role{font-weight:700;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
.msg pre,.msg .content{white-space:pre-wrap;word-break:break-word;margin:.25rem 0 0;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
.msg .content{font:inherit}
details summary{cursor:pointer;color:var(--muted)}
.label-form{display:grid;gap:.75rem;border-top:2px solid var(--line);padding-top:1rem}
.label-form label{display:flex;flex-direction:column;gap:.25rem;font-weight:600}
.label-form select{max-width:18rem}
.review-nav{display:flex;justify-content:space-between;gap:1rem;margin:1rem 0}
.signin{max-width:420px;margin:3rem auto;display:grid;gap:.75rem}
.signin label{display:flex;flex-direction:column;gap:.25rem;font-weight:600}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:640px){main{padding:.6rem}th.opt,td.opt{display:none}header.top .who{margin-left:0}th,td{padding:.4rem .3rem}td.title{min-width:7.5rem}}
`;

export const APP_JS = `
(function(){
  // "Select all on this page" checkboxes.
  document.querySelectorAll('input[data-select-all]').forEach(function(master){
    master.hidden = false;
    master.addEventListener('change', function(){
      var form = master.form;
      form.querySelectorAll('input[type=checkbox][name=id]').forEach(function(b){ b.checked = master.checked; });
    });
  });
  // Tell the reviewer how many rows an action will touch.
  document.querySelectorAll('form[data-selection]').forEach(function(form){
    var out = form.querySelector('[data-selection-count]');
    if (!out) return;
    function update(){
      var n = form.querySelectorAll('input[type=checkbox][name=id]:checked').length;
      var all = form.querySelector('input[name=all]');
      out.textContent = all && all.checked ? 'Every session in this filtered view is selected.' : (n ? n + ' selected' : 'Nothing selected');
    }
    form.addEventListener('change', update); update();
  });
})();
`;
