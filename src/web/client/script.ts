import { detectFormat } from "./detect";
import { draftDecision, draftKey, draftSurvivesSave, loadDraft, pruneDrafts, sameValues, saveDraft } from "./draft";
import { keyAction } from "./keyboard";
import { loadTicks, mergeTicks, offPageTicks, saveTicks, ticksStoreKey, ticksSummary, validTickId } from "./ticks";

/**
 * The web view's one script. Every page works as plain forms without it; it adds select-all, the draft store,
 * the leave guard, keyboard shortcuts, ticks kept across a list's pages and the transcript upload. The pure parts are the tested functions from
 * this folder, shipped by their source (so the browser runs exactly what the unit tests checked).
 */
const PURE = [keyAction, draftKey, sameValues, saveDraft, loadDraft, draftDecision, draftSurvivesSave, pruneDrafts, detectFormat, ticksStoreKey, validTickId, loadTicks, saveTicks, mergeTicks, offPageTicks, ticksSummary].map((f) => f.toString()).join("\n");

const MAIN = String.raw`
(function(){
  var DRAFT_MAX_AGE = 30 * 24 * 3600 * 1000;
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  // ---- lists: select all (with a partial state, this page only), ticks kept across pages, the selection line ----
  // Ticks live in sessionStorage under the form's data-ticks-key (workspace, view, filters), so paging, sorting
  // or a new page size keeps them; a post from any of the form's buttons carries the other pages' ticks as
  // hidden id fields. Without the script (or storage) the boxes are per page, as the plain form is.
  var ticksStore = null;
  try { ticksStore = window.sessionStorage; } catch (e) { ticksStore = null; }
  var navType = '';
  try { var nav = performance.getEntriesByType('navigation')[0]; navType = nav ? nav.type : ''; } catch (e) { navType = ''; }
  document.querySelectorAll('form[data-selection]').forEach(function(form){
    var master = form.querySelector('input[data-select-all]');
    var out = form.querySelector('[data-selection-count]');
    var clearButton = form.querySelector('[data-ticks-clear]');
    var allBox = form.querySelector('input[type=checkbox][name=all]');
    var ticksKey = form.getAttribute('data-ticks-key');
    var skey = ticksStore && ticksKey ? ticksStoreKey(ticksKey) : null;
    var limit = function(name){ var v = form.getAttribute(name); return v && /^[0-9]{1,9}$/.test(v) ? Number(v) : 0; };
    var bulkMax = limit('data-ticks-max'), exportMax = limit('data-ticks-export-max');
    var boxes = function(){ return Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox][name=id]')); };
    var pageIds = function(){ return boxes().map(function(b){ return b.value; }); };
    var checkedIds = function(){ return boxes().filter(function(b){ return b.checked; }).map(function(b){ return b.value; }); };
    var stored = function(){ return skey ? loadTicks(ticksStore, skey) : checkedIds(); };

    var sync = function(){
      var all = boxes(), on = checkedIds().length;
      if (master) {
        master.checked = all.length > 0 && on === all.length;
        master.indeterminate = on > 0 && on < all.length;
      }
      var total = skey ? stored().length : on;
      if (out) out.textContent = ticksSummary({ onPage: on, total: total, all: !!(allBox && allBox.checked), bulkMax: bulkMax, exportMax: exportMax });
      if (clearButton) clearButton.hidden = total === 0;
    };
    var remember = function(){ if (skey) saveTicks(ticksStore, skey, mergeTicks(stored(), pageIds(), checkedIds())); };
    // This page's boxes as stored (the store wins over a browser's own restoring of form state).
    var restore = function(){
      if (!skey) return;
      var on = Object.create(null);
      stored().forEach(function(id){ on[id] = true; });
      boxes().forEach(function(b){ b.checked = !!on[b.value]; });
    };
    var dropCarried = function(){ form.querySelectorAll('input[data-ticks-carried]').forEach(function(i){ i.remove(); }); };

    // After an action's notice the ticks it acted on are done with, on arrival only: a reload or Back to that
    // address keeps what was ticked since.
    if (skey && form.getAttribute('data-clear-ticks') === '1' && navType !== 'reload' && navType !== 'back_forward') saveTicks(ticksStore, skey, []);
    restore();

    if (master) {
      master.hidden = false;
      master.addEventListener('change', function(){ boxes().forEach(function(b){ b.checked = master.checked; }); });
    }
    form.addEventListener('change', function(ev){
      var t = ev.target;
      if (t === master || (t && t.name === 'id' && t.type === 'checkbox')) remember();
      sync();
    });
    if (clearButton) clearButton.addEventListener('click', function(){
      boxes().forEach(function(b){ b.checked = false; });
      if (skey) saveTicks(ticksStore, skey, []);
      sync();
      if (master && !master.hidden) master.focus();
    });
    // Every button of the form (bulk actions, Export, Save as dataset) posts through here: the other pages'
    // ticks ride along as hidden id fields, built with DOM properties from ids of a checked shape.
    form.addEventListener('submit', function(){
      dropCarried();
      if (!skey || (allBox && allBox.checked)) return;
      offPageTicks(stored(), pageIds()).forEach(function(id){
        var input = document.createElement('input');
        input.type = 'hidden'; input.name = 'id'; input.value = id;
        input.setAttribute('data-ticks-carried', '');
        form.appendChild(input);
      });
    });
    // Back to this page from the bfcache: the store may have changed on another page meanwhile.
    window.addEventListener('pageshow', function(ev){ if (ev.persisted) { dropCarried(); restore(); sync(); } });
    sync();
  });

  // ---- drafts that the server confirmed as saved are dropped, on any page ----
  // (unless typed after that save: a reload or a sign-in that comes back to the "saved" address keeps them)
  var savedHost = document.querySelector('[data-saved-ids]');
  var workspace = savedHost ? savedHost.getAttribute('data-workspace') : null;
  var savedIds = savedHost ? (savedHost.getAttribute('data-saved-ids') || '').split(' ') : [];
  var savedEtags = savedHost ? (savedHost.getAttribute('data-saved-etags') || '').split(' ') : [];
  if (store && savedHost && workspace) {
    savedIds.forEach(function(id, i){
      if (!id) return;
      var k = draftKey(workspace, id);
      if (!draftSurvivesSave(loadDraft(store, k), savedEtags[i])) store.removeItem(k);
    });
    pruneDrafts(store, Date.now(), DRAFT_MAX_AGE);
  }

  // ---- review page ----
  var form = document.querySelector('form.label-form');
  if (form) reviewPage(form);

  function reviewPage(form){
    var sessionId = form.getAttribute('data-session');
    var key = draftKey(form.getAttribute('data-workspace'), sessionId);
    var etag = form.getAttribute('data-etag');
    var tagsBox = form.querySelector('[data-tags]');
    var submitting = false;

    var values = function(){
      var st = form.querySelector('input[name=evalStatus]:checked');
      var tags = [];
      form.querySelectorAll('input[name=evalTags]').forEach(function(i){ tags.push(i.value); });
      return {
        evalStatus: st ? st.value : '',
        evalReady: form.querySelector('input[name=evalReady]').checked,
        evalTags: tags,
        evalNotes: form.querySelector('textarea[name=evalNotes]').value,
        expectedOutput: form.querySelector('textarea[name=expectedOutput]').value
      };
    };
    var initial = values();
    var unsavedAtLoad = form.getAttribute('data-unsaved') === '1';
    var dirty = function(){ return unsavedAtLoad || !sameValues(values(), initial); };

    var newTagField = function(value){
      var input = document.createElement('input');
      input.type = 'text'; input.name = 'evalTags'; input.value = value || '';
      input.setAttribute('list', 'tag-suggestions');
      input.setAttribute('aria-label', value ? 'Tag' : 'New tag');
      if (!value) input.placeholder = 'add a tag';
      tagsBox.appendChild(input);
      return input;
    };
    // One empty field always waits at the end, so a second and third tag can be added without saving.
    var keepOneEmpty = function(){
      var fields = tagsBox.querySelectorAll('input[name=evalTags]');
      var last = fields[fields.length - 1];
      if (!last || last.value.trim() !== '') newTagField('');
    };
    tagsBox.addEventListener('input', keepOneEmpty);

    var setValues = function(v){
      form.querySelectorAll('input[name=evalStatus]').forEach(function(r){ r.checked = r.value === v.evalStatus; });
      form.querySelector('input[name=evalReady]').checked = v.evalReady;
      tagsBox.querySelectorAll('input[name=evalTags]').forEach(function(i){ i.remove(); });
      v.evalTags.forEach(function(t){ if (t.trim() !== '') newTagField(t); });
      var fresh = newTagField(''); fresh.id = 'tag-new';
      form.querySelector('textarea[name=evalNotes]').value = v.evalNotes;
      form.querySelector('textarea[name=expectedOutput]').value = v.expectedOutput;
    };

    var remember = function(){
      if (!store) return;
      if (dirty()) saveDraft(store, key, values(), etag, Date.now());
    };
    form.addEventListener('input', remember);
    form.addEventListener('change', remember);

    // A draft from before a crash, an expired sign-in or a conflict is offered back.
    var banner = document.getElementById('draft-banner');
    var draft = store ? loadDraft(store, key) : null;
    var savedAt = (form.getAttribute('data-saved-ids') || '').split(' ').indexOf(sessionId);
    var justSaved = savedAt !== -1 && !draftSurvivesSave(draft, (form.getAttribute('data-saved-etags') || '').split(' ')[savedAt]);
    var decision = draftDecision(draft, initial, justSaved);
    if (decision === 'clear') store.removeItem(key);
    if (decision === 'offer' && banner) {
      banner.hidden = false;
      var when = banner.querySelector('[data-draft-time]');
      if (when) when.textContent = new Date(draft.savedAt).toLocaleString();
      banner.querySelector('[data-draft=restore]').addEventListener('click', function(){
        setValues(draft.values); banner.hidden = true; unsavedAtLoad = true;
        form.querySelector('textarea[name=evalNotes]').focus();
      });
      banner.querySelector('[data-draft=discard]').addEventListener('click', function(){
        store.removeItem(key); banner.hidden = true;
      });
    }

    form.addEventListener('submit', function(){ submitting = true; remember(); });
    window.addEventListener('beforeunload', function(ev){
      if (submitting || !dirty()) return;
      ev.preventDefault();
      ev.returnValue = '';
    });

    var submitWith = function(then){
      var b = form.querySelector('button[name=then][value=' + then + ']');
      if (b && !b.disabled) { if (form.requestSubmit) form.requestSubmit(b); else b.click(); }
    };
    var go = function(rel){
      var a = document.querySelector('a[rel=' + rel + ']');
      if (a) window.location.href = a.href;
    };
    var help = document.getElementById('help');
    var toggleHelp = function(show){
      if (!help) return;
      help.hidden = show === undefined ? !help.hidden : !show;
      if (!help.hidden) { var close = help.querySelector('[data-help-close]'); if (close) close.focus(); }
    };
    if (help) {
      help.querySelector('[data-help-close]').addEventListener('click', function(){ toggleHelp(false); });
      help.addEventListener('click', function(ev){ if (ev.target === help) toggleHelp(false); });
    }
    // A text field reached by its key takes the typing at its end (a textarea's caret would sit at the start and
    // put the new words before the old ones); a tag field has its text selected.
    var focusField = function(el){
      if (!el) return;
      el.focus();
      if (el.tagName === 'INPUT') { if (el.select) el.select(); }
      else if (el.setSelectionRange) { var end = el.value.length; el.setSelectionRange(end, end); el.scrollTop = el.scrollHeight; }
    };

    document.addEventListener('keydown', function(ev){
      if (ev.isComposing || ev.defaultPrevented) return;
      // The help overlay is modal: Tab stays on its Close button instead of reaching the page behind it.
      if (ev.key === 'Tab' && help && !help.hidden) {
        ev.preventDefault();
        var closeButton = help.querySelector('[data-help-close]');
        if (closeButton) closeButton.focus();
        return;
      }
      var t = ev.target;
      var tag = t && t.tagName;
      var textual = tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && ['text','search','password','email','url','number'].indexOf(t.type) !== -1) || (t && t.isContentEditable);
      var action = keyAction({ key: ev.key, ctrlKey: ev.ctrlKey, metaKey: ev.metaKey, shiftKey: ev.shiftKey, altKey: ev.altKey, typing: !!textual, multiline: tag === 'TEXTAREA' });
      if (!action) return;
      if (help && !help.hidden && action !== 'help' && action !== 'escape') return;
      ev.preventDefault();
      if (action === 'escape') { if (help && !help.hidden) toggleHelp(false); else if (textual) t.blur(); return; }
      if (action === 'help') return toggleHelp();
      if (action === 'next') return go('next');
      if (action === 'prev') return go('prev');
      if (action === 'save') return submitWith('stay');
      if (action === 'save-next') return submitWith('next');
      if (action === 'tags') { var fields = tagsBox.querySelectorAll('input[name=evalTags]'); return focusField(fields[fields.length - 1]); }
      if (action === 'notes') return focusField(form.querySelector('textarea[name=evalNotes]'));
      if (action === 'expected') return focusField(form.querySelector('textarea[name=expectedOutput]'));
      if (action === 'toggle-ready') { var r = form.querySelector('input[name=evalReady]'); if (!r.disabled) { r.checked = !r.checked; remember(); } return; }
      if (action.indexOf('status:') === 0) {
        var radio = form.querySelector('input[name=evalStatus][value=' + action.slice(7) + ']');
        if (radio && !radio.disabled) { radio.checked = true; radio.focus(); remember(); }
      }
    });
  }

  // ---- Sessions page: import transcripts ----
  var importer = document.querySelector('[data-import]');
  if (importer) uploads(importer);

  function uploads(box){
    box.hidden = false;
    var input = box.querySelector('input[type=file]');
    var tool = box.querySelector('select[name=tool]');
    var list = box.querySelector('[data-import-results]');
    var drop = box.querySelector('[data-drop]');
    var csrf = box.getAttribute('data-csrf');
    var names = { 'claude-code': 'Claude Code', codex: 'Codex', opencode: 'OpenCode' };
    var plural = function(n, one){ return n + ' ' + one + (n === 1 ? '' : 's'); };

    var one = function(file){
      var row = document.createElement('li');
      row.textContent = file.name + ': reading…';
      list.appendChild(row);
      return file.slice(0, 65536).text().then(function(head){
        var format = tool.value || detectFormat(head);
        if (!format) { row.className = 'bad'; row.textContent = file.name + ': could not tell which tool wrote it; pick the tool and import it again.'; return; }
        row.textContent = file.name + ': importing as ' + names[format] + '…';
        return fetch('/import?format=' + encodeURIComponent(format), {
          method: 'POST', body: file, credentials: 'same-origin',
          headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/octet-stream' }
        }).then(function(res){
          var type = res.headers.get('content-type') || '';
          if (res.redirected || type.indexOf('application/json') === -1) {
            row.className = 'bad'; row.textContent = file.name + ': your sign-in has expired; sign in again (in another tab) and retry.'; return;
          }
          return res.json().then(function(body){
            if (!res.ok) { row.className = 'bad'; row.textContent = file.name + ': not imported — ' + (body.error && body.error.message || res.status); return; }
            var created = body.sessions.filter(function(s){ return s.created; }).length;
            var updated = body.sessions.length - created;
            var skipped = Object.keys(body.skipped || {}).reduce(function(n, k){ return n + body.skipped[k]; }, 0);
            row.className = 'ok';
            row.textContent = file.name + ' (' + names[format] + '): ' + plural(created, 'session') + ' created, ' + plural(updated, 'session') + ' updated' +
              (skipped ? ', ' + plural(skipped, 'line') + ' skipped (' + Object.keys(body.skipped).map(function(k){ return k + ' ' + body.skipped[k]; }).join(', ') + ')' : '') +
              (body.truncated ? ', ' + plural(body.truncated, 'message') + ' truncated' : '') + '.';
            var a = document.createElement('a');
            a.href = '/sessions'; a.textContent = ' Reload the list';
            row.appendChild(a);
          });
        });
      }).catch(function(err){ row.className = 'bad'; row.textContent = file.name + ': not imported — ' + (err && err.message || 'network error'); });
    };
    var run = function(files){
      var queue = Array.prototype.slice.call(files);
      var next = function(){ var f = queue.shift(); if (f) return one(f).then(next); };
      return next();
    };
    box.querySelector('[data-import-go]').addEventListener('click', function(){
      if (!input.files || input.files.length === 0) { input.click(); return; }
      run(input.files);
    });
    ['dragenter','dragover'].forEach(function(n){ drop.addEventListener(n, function(ev){ ev.preventDefault(); drop.classList.add('over'); }); });
    ['dragleave','drop'].forEach(function(n){ drop.addEventListener(n, function(ev){ ev.preventDefault(); drop.classList.remove('over'); }); });
    drop.addEventListener('drop', function(ev){ if (ev.dataTransfer && ev.dataTransfer.files.length) run(ev.dataTransfer.files); });
  }
})();
`;

/** esbuild's keepNames may wrap functions in __name(); the shipped sources get a no-op for it. */
export const APP_JS = `(function(){\nvar __name = function(f){ return f; };\n${PURE}\n${MAIN}\n})();\n`;
