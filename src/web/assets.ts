/**
 * The web view's only stylesheet and script, served from the Worker itself so the Content-Security-Policy can
 * forbid every inline script and style. The script only improves what already works as plain forms.
 */
export { APP_JS } from "./client/script";

export const APP_CSS = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#5b6470;--line:#d8dee4;--bg:#fff;--soft:#f6f8fa;--card:#fff;--accent:#0b5cad;--accent-fg:#fff;--ok:#1a7f37;--bad:#c62828;--warn:#9a6700;--gold:#b08800;
--user:#f1f7ff;--sys:#f4f4f4;--tool:#fbfbf4;--code:#f6f8fa;--notice-bg:#ddf4e4;--notice-line:#a6dfb5;--error-bg:#fde7e7;--error-line:#f3b4b4;--focus:#7aa7e0}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9aa4af;--line:#30363d;--bg:#0d1117;--soft:#161b22;--card:#0f141a;--accent:#4c9aff;--accent-fg:#0d1117;
--user:#122033;--sys:#1a1d21;--tool:#1b1c14;--code:#161b22;--notice-bg:#11301c;--notice-line:#2f6b3d;--error-bg:#3a1414;--error-line:#7a2b2b;--focus:#4c9aff}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:var(--soft)}
header.top .brand{font-weight:700;text-decoration:none;color:var(--fg)}
header.top nav{display:flex;gap:1rem}
header.top nav a[aria-current=page]{font-weight:700;text-decoration:none;color:var(--fg)}
header.top .who{margin-left:auto;color:var(--muted);display:flex;gap:.75rem;align-items:center}
main{padding:1rem;max-width:1200px;margin:0 auto}
main.wide{max-width:1600px}
h1{font-size:1.4rem;margin:.25rem 0 1rem}
.notice{padding:.6rem .8rem;border-radius:6px;background:var(--notice-bg);border:1px solid var(--notice-line);margin:0 0 1rem}
.error{padding:.6rem .8rem;border-radius:6px;background:var(--error-bg);border:1px solid var(--error-line);margin:0 0 1rem}
.field-error{color:var(--bad);font-weight:600;margin:.2rem 0 0;overflow-wrap:anywhere}
@media (prefers-color-scheme:dark){.field-error{color:#ff8a80}}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin-bottom:1rem}
form.filters label,fieldset label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
fieldset{border:1px solid var(--line);border-radius:6px;padding:.4rem .7rem;margin:0}
fieldset.inline{display:flex;gap:.75rem;flex-wrap:wrap}
fieldset.inline label{flex-direction:row;gap:.3rem;align-items:center;color:var(--fg)}
input,select,textarea,button{font:inherit;color:inherit}
label input,label select,label textarea{font-weight:400}
input[type=text],input[type=search],input[type=password],select,textarea{padding:.35rem .5rem;border:1px solid var(--line);border-radius:6px;min-width:0;background:var(--card);color:inherit}
input[type=text],input[type=search],input[type=password],select{min-height:2.5rem}
input[type=checkbox],input[type=radio]{width:1.25rem;height:1.25rem;accent-color:var(--accent)}
form.filters>a{line-height:2.5rem}
textarea{width:100%;min-height:6rem}
button,.button{display:inline-block;min-height:2.5rem;padding:.4rem .9rem;border:1px solid var(--line);border-radius:6px;background:var(--soft);cursor:pointer;text-decoration:none;color:var(--fg)}
button.primary,.button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}
button:disabled{opacity:.55;cursor:not-allowed}
kbd{font:12px/1 ui-monospace,SFMono-Regular,Menlo,monospace;border:1px solid var(--line);border-bottom-width:2px;border-radius:4px;padding:.1rem .3rem;background:var(--soft);color:var(--muted)}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:.45rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;white-space:nowrap}
thead th{vertical-align:middle}
td.num,th.num{text-align:right;white-space:nowrap}
td.nowrap{white-space:nowrap}
.badge{display:inline-block;padding:0 .45rem;border-radius:999px;font-size:.8rem;border:1px solid var(--line);white-space:nowrap}
.badge.golden{background:#fff8c5;border-color:#e3c65a;color:#3b2f00}.badge.correct{background:#ddf4e4;border-color:#a6dfb5;color:#0f3d1c}
.badge.incorrect{background:#fde7e7;border-color:#f3b4b4;color:#5c1010}.badge.needs_review{background:#eef1f4;color:#24292f}
.badge.ready{background:#ddebfb;border-color:#9cc2ec;color:#0b2e55}.badge.unreviewed{background:transparent;border-style:dashed;color:var(--muted)}
.tag{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 .3rem;margin:0 .2rem .2rem 0;font-size:.8rem}
.pager{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.75rem 0}
.pager>a,.pager>span{display:inline-flex;align-items:center;min-height:2.75rem}
.pager>a{padding:0 .75rem;border:1px solid var(--line);border-radius:6px;background:var(--card);text-decoration:none}
.pager>a:hover{border-color:var(--accent);text-decoration:underline}
.pager .page-size{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:0 0 0 auto}
.pager .page-size label{display:flex;align-items:center;gap:.4rem;color:var(--muted);font-size:.9rem}
.pager .page-size select{color:var(--fg)}
.match-count{margin:0 0 .5rem;color:var(--muted);font-size:.95rem;font-variant-numeric:tabular-nums}
th a.sort{display:inline-flex;align-items:center;gap:.15rem;min-height:2rem;color:var(--fg);text-decoration:none}
th a.sort:hover{color:var(--accent);text-decoration:underline}
th[aria-sort] a.sort{color:var(--accent);box-shadow:inset 0 -2px 0 var(--accent)}
th[aria-sort] a.sort span{font-size:.85em}
a.tag{color:var(--fg);text-decoration:none;padding:.05rem .4rem}
a.tag:hover{border-color:var(--accent);color:var(--accent);text-decoration:underline}
.select-all{gap:.5rem 1rem}
.selection-line{display:inline-flex;flex-wrap:wrap;align-items:center;gap:.25rem .5rem}
.selection-line [data-selection-count]{font-variant-numeric:tabular-nums}
button.link-button{background:transparent;border-color:transparent;color:var(--accent);text-decoration:underline;padding:.4rem .5rem}
button.link-button:hover{border-color:var(--line)}
td label.tick,th label.tick{display:flex;align-items:center;justify-content:center;cursor:pointer}
.actions.select-all>label{display:inline-flex;align-items:center;gap:.4rem}
.muted{color:var(--muted)}
mark.would-mask{background:#fff3b0;color:inherit;border-bottom:1px dashed #b08800;border-radius:2px}
@media (prefers-color-scheme:dark){mark.would-mask{background:#5a4a00;border-color:#d4a72c}}
.empty{padding:1.5rem;border:1px dashed var(--line);border-radius:8px;color:var(--muted);text-align:center}
.chart{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:1rem;margin-bottom:1rem;align-items:start}
.chart figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem}
.chart figcaption{font-weight:600;margin-bottom:.25rem}
.chart svg{display:block;width:100%;max-width:20rem;overflow:visible}
.chart svg text{font-size:13px;fill:var(--fg)}
.chart svg rect.fill.plain{fill:var(--accent)}
.chart svg a.bar{cursor:pointer}
.chart svg a.bar:hover rect.hit{fill:var(--soft);stroke:var(--line)}
.chart svg a.bar:hover text{text-decoration:underline}
.chart svg a.bar:focus{outline:none}
.chart svg a.bar:focus-visible rect.hit{fill:var(--soft);stroke:var(--focus);stroke-width:3px}
.chart svg a.bar.on rect.hit{fill:var(--soft);stroke:var(--line);stroke-width:1px}
.chart svg a.bar.on text{font-weight:700}
.workbench{display:grid;grid-template-columns:minmax(0,1fr) minmax(300px,380px);gap:1.25rem;align-items:start}
.panel{position:sticky;top:.75rem;max-height:calc(100vh - 1.5rem);overflow:auto;border:1px solid var(--line);border-radius:8px;padding:.75rem;background:var(--soft)}
.position{margin:0 0 .5rem}
.crumbs{margin:0 0 .25rem}
.family{border-left:3px solid var(--accent);padding-left:.6rem;margin-bottom:1rem}
.family p{margin:.2rem 0}
@media (max-width:900px){.workbench{grid-template-columns:minmax(0,1fr)}.panel{position:static;max-height:none;order:-1}}
.conversation{display:flex;flex-direction:column;gap:.6rem;margin-bottom:1.5rem;min-width:0}
.msg{border:1px solid var(--line);border-radius:8px;padding:.5rem .75rem;background:var(--card);min-width:0}
.msg.user{background:var(--user)}.msg.system{background:var(--sys)}.msg.tool{background:var(--tool)}
.msg .role{display:flex;gap:.4rem;font-weight:700;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
.msg .role .seq{margin-left:auto;font-weight:400}
pre,code,.hljs{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.msg pre.plain{white-space:pre-wrap;word-break:break-word;margin:.25rem 0 0}
.md{overflow-wrap:anywhere}
.md>:first-child{margin-top:.25rem}.md>:last-child{margin-bottom:.25rem}
.md pre.code{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.5rem .6rem;overflow-x:auto;white-space:pre}
.md :not(pre)>code{background:var(--code);border-radius:4px;padding:.05rem .25rem}
.md .md-table{overflow-x:auto}.md table{width:auto}.md h1,.md h2,.md h3{font-size:1.05rem;margin:.75rem 0 .25rem}
.md blockquote{margin:.25rem 0;padding-left:.75rem;border-left:3px solid var(--line);color:var(--muted)}
.img-ref{color:var(--muted);font-style:italic}
.fold{position:relative}
.fold-toggle{position:absolute;opacity:0;width:1px;height:1px}
.fold-body{max-height:18rem;overflow:hidden;-webkit-mask-image:linear-gradient(#000 75%,transparent);mask-image:linear-gradient(#000 75%,transparent)}
.fold-toggle:checked~.fold-body{max-height:none;-webkit-mask-image:none;mask-image:none}
.fold-more{display:inline-block;margin-top:.25rem;padding:.3rem .6rem;border:1px solid var(--line);border-radius:6px;cursor:pointer;color:var(--accent);font-size:.9rem;min-height:2.25rem}
.fold-more .less,.fold-toggle:checked~.fold-more .more{display:none}.fold-toggle:checked~.fold-more .less{display:inline}
.fold-toggle:focus-visible~.fold-more{outline:3px solid var(--focus);outline-offset:2px}
details summary{cursor:pointer;color:var(--muted);min-height:1.75rem}
details.call{border:1px solid var(--line);border-radius:6px;margin:.4rem 0 0;padding:.3rem .5rem;background:var(--soft)}
details.call>summary{color:var(--fg)}
.call-name{font-weight:700;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.call-preview{color:var(--muted);overflow-wrap:anywhere}
.call-body{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:.6rem;margin-top:.4rem}
.call-head{font-size:.75rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);font-weight:700}
.call-args pre.code,.call-result pre{background:var(--code);border-radius:6px;padding:.4rem .5rem;overflow-x:auto;margin:.2rem 0 0}
.call-result pre.plain{white-space:pre-wrap;word-break:break-word}
@media (max-width:700px){.call-body{grid-template-columns:1fr}}
.label-form{display:grid;gap:.75rem}
.label-form .label-fields{border:0;padding:0;display:grid;gap:.75rem;min-width:0}
.label-form .field{display:grid;gap:.25rem}
.label-form .field>label,.label-form legend{font-weight:600}
.label-form .field>label{display:block;font-size:inherit;color:var(--fg)}
.label-form label.inline{display:flex;flex-direction:row;gap:.4rem;align-items:center;font-size:inherit;color:var(--fg)}
.status{display:grid;grid-template-columns:1fr 1fr;gap:.35rem}
.status legend{padding:0 .2rem}
.status-choice{display:flex!important;flex-direction:row!important;align-items:center;gap:.35rem;padding:.35rem .4rem;border:1px solid var(--line);border-radius:6px;color:var(--fg)!important;font-size:.95rem!important;min-height:2.5rem;cursor:pointer}
.status-choice kbd{margin-left:auto}
.status .field-error{grid-column:1/-1}
.tags-edit{display:flex;flex-wrap:wrap;gap:.35rem}
.tags-edit input{flex:1 1 8rem}
.hint{font-size:.8rem;color:var(--muted);font-weight:400;margin:0}
.draft-banner{padding:.6rem .8rem;border-radius:6px;border:1px solid var(--warn);background:var(--card)}
.draft-banner p{margin:0 0 .4rem}
.review-nav{display:flex;justify-content:space-between;gap:1rem;margin:.25rem 0 .75rem}
.help{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:10}
.help[hidden]{display:none}
.help-box{background:var(--bg);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem;max-width:34rem;width:calc(100% - 2rem)}
.help-box dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem}
.help-box dd{margin:0}
.done{max-width:36rem;margin:3rem auto;text-align:center}
.done .actions{justify-content:center}
.import{border:1px solid var(--line);border-radius:8px;padding:.75rem;margin-bottom:1rem}
.import[hidden]{display:none}
.import .drop{border:2px dashed var(--line);border-radius:8px;padding:1rem;text-align:center;color:var(--muted)}
.import .drop.over{border-color:var(--accent);color:var(--fg)}
.import ul{margin:.5rem 0 0;padding-left:1.2rem}.import li.ok{color:var(--ok)}.import li.bad{color:var(--bad)}
.signin{max-width:420px;margin:3rem auto;display:grid;gap:.75rem}
.signin label{display:flex;flex-direction:column;gap:.25rem;font-weight:600}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.actions.bulk{border-top:1px solid var(--line);padding-top:.5rem}
.why{font-size:.85rem;margin:.1rem 0 .5rem}
.notice.undo{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}
.warning{padding:.6rem .8rem;border-radius:6px;border:1px solid var(--warn);border-left-width:4px;background:var(--card);margin:0 0 1rem}
.export-dialog fieldset{border:1px solid var(--line);border-radius:8px;padding:.5rem .75rem;display:grid;gap:.35rem;margin:0 0 .75rem}
.export-dialog label{display:flex;gap:.4rem;align-items:center}
.dataset-form{display:grid;gap:.9rem;max-width:720px}
.dataset-form .field{display:grid;gap:.25rem}
.dataset-form .field>label,.dataset-form legend{font-weight:600}
.dataset-form fieldset.split{display:grid;gap:.6rem;padding:.6rem .8rem}
.dataset-form fieldset.split p{margin:0}
ul.datasets{list-style:none;padding:0;margin:0;display:grid;gap:1rem}
li.dataset{border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;background:var(--card)}
li.dataset h2{font-size:1.1rem;margin:0 0 .3rem}
li.dataset .description{margin:0 0 .5rem;white-space:pre-wrap}
li.dataset dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .9rem;margin:0 0 .5rem;font-size:.9rem}
li.dataset dt{color:var(--muted)}
li.dataset dd{margin:0}
.dataset-export fieldset{display:flex;flex-wrap:wrap;gap:.5rem .9rem;align-items:center;border:0;padding:0}
.dataset-export label.inline{display:flex;flex-direction:row;gap:.3rem;align-items:center;color:var(--fg)}
.confirm-delete[open]{border:1px solid var(--error-line);background:var(--error-bg);border-radius:6px;padding:.4rem .7rem}
.confirm-delete summary{cursor:pointer;color:var(--bad)}
.confirm-delete p{margin:.4rem 0}
button.danger{background:var(--bad);border-color:var(--bad);color:#fff}
.hljs-keyword,.hljs-selector-tag,.hljs-built_in{color:#cf222e}.hljs-string,.hljs-attr{color:#0a3069}.hljs-number,.hljs-literal{color:#0550ae}
.hljs-comment{color:#6e7781;font-style:italic}.hljs-title,.hljs-function{color:#8250df}.hljs-addition{color:#116329;background:#dafbe1}.hljs-deletion{color:#82071e;background:#ffebe9}
@media (prefers-color-scheme:dark){.hljs-keyword,.hljs-selector-tag,.hljs-built_in{color:#ff7b72}.hljs-string,.hljs-attr{color:#a5d6ff}.hljs-number,.hljs-literal{color:#79c0ff}.hljs-comment{color:#8b949e}.hljs-title,.hljs-function{color:#d2a8ff}.hljs-addition{color:#aff5b4;background:#033a16}.hljs-deletion{color:#ffdcd7;background:#67060c}}
@media (max-width:640px){main{padding:.6rem}th.opt,td.opt{display:none}header.top .who{margin-left:0}th,td{padding:.5rem .35rem}td.title{min-width:7.5rem}input[type=checkbox]{width:1.5rem;height:1.5rem}
.chart figure{padding:.5rem}.pager .page-size{margin-left:0}
form[data-selection] button,form[data-selection] select,form[data-selection] input[type=text],.pager button,.pager select{min-height:2.75rem}
th a.sort,a.tag{min-height:2.75rem}a.tag{display:inline-flex;align-items:center;padding:0 .6rem;font-size:.85rem}
td label.tick,th label.tick{min-width:2.75rem;min-height:2.75rem}.actions.select-all>label{min-height:2.75rem}}
`;
