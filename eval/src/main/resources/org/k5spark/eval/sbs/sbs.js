// Side-by-side voting page logic. No data from the generator is interpolated into this script:
// everything it needs is read from data-* attributes of the (HTML-escaped) DOM.
(function () {
  'use strict';
  var body = document.body;
  var pageId = body.getAttribute('data-page-id');
  var storeKey = 'k5sbs:' + pageId;
  var questions = body.getAttribute('data-questions').split(',');
  var items = Array.prototype.map.call(document.querySelectorAll('.item'), function (el) {
    return { item: el.getAttribute('data-item'), prompt_id: el.getAttribute('data-prompt-id') };
  });
  var state = load();

  function load() {
    try {
      var s = JSON.parse(window.localStorage.getItem(storeKey) || '{}');
      return s && typeof s === 'object' && s.votes ? s : { voter: '', votes: {} };
    } catch (e) {
      return { voter: '', votes: {} };
    }
  }
  function save() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* storage off: keep in memory */ }
  }
  function key(item, q) { return item + '|' + q; }

  function render() {
    Array.prototype.forEach.call(document.querySelectorAll('button.vote'), function (b) {
      var v = state.votes[key(b.getAttribute('data-item'), b.getAttribute('data-question'))];
      b.classList.toggle('selected', !!v && v.choice === b.getAttribute('data-choice'));
      b.setAttribute('aria-pressed', (!!v && v.choice === b.getAttribute('data-choice')) ? 'true' : 'false');
    });
    var answered = Object.keys(state.votes).length;
    document.getElementById('progress').textContent = answered + ' / ' + (items.length * questions.length) + ' answered';
    document.getElementById('voter').value = state.voter || '';
  }

  function records() {
    var out = [];
    items.forEach(function (it) {
      questions.forEach(function (q) {
        var v = state.votes[key(it.item, q)];
        if (v) {
          out.push({ item: it.item, prompt_id: it.prompt_id, question: q, choice: v.choice, time: v.time });
        }
      });
    });
    return out;
  }

  function csvField(s) {
    s = String(s == null ? '' : s);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function publish(text, mime, fileName) {
    document.getElementById('export').value = text;
    var a = document.getElementById('download');
    a.href = 'data:' + mime + ';charset=utf-8,' + encodeURIComponent(text);
    a.setAttribute('download', fileName);
    a.style.display = 'inline';
  }

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t.classList && t.classList.contains('vote')) {
      var k = key(t.getAttribute('data-item'), t.getAttribute('data-question'));
      var cur = state.votes[k];
      if (cur && cur.choice === t.getAttribute('data-choice')) {
        delete state.votes[k]; // second click on the same answer withdraws it
      } else {
        state.votes[k] = { choice: t.getAttribute('data-choice'), time: new Date().toISOString() };
      }
      save();
      render();
    } else if (t.id === 'export-json') {
      publish(JSON.stringify({ format: 'k5-sbs-votes/1', page_id: pageId, voter: state.voter || '',
        votes: records() }, null, 1), 'application/json', 'sbs-votes-' + pageId + '.json');
    } else if (t.id === 'export-csv') {
      var lines = ['page_id,voter,item,prompt_id,question,choice,time'];
      records().forEach(function (r) {
        lines.push([pageId, state.voter || '', r.item, r.prompt_id, r.question, r.choice, r.time].map(csvField).join(','));
      });
      publish(lines.join('\n') + '\n', 'text/csv', 'sbs-votes-' + pageId + '.csv');
    } else if (t.id === 'clear') {
      if (window.confirm('Delete all votes on this page?')) {
        state = { voter: state.voter, votes: {} };
        save();
        render();
      }
    }
  });
  document.getElementById('voter').addEventListener('input', function (e) {
    state.voter = e.target.value;
    save();
  });
  render();
})();
