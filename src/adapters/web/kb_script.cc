// kb.js (kb_pages.h): suggestions while a new case's subject is typed, a progressive
// enhancement (without JavaScript the intake form works as before). A [data-kb-suggest] region
// names the subject field; typing (debounced) asks /api/v1/kb/suggest and lists matching
// articles as links to the help centre, which offers "this solved my problem" (a counted
// deflection). Text is inserted with textContent, never as HTML. Thread-safe: a constant.
#include "adapters/web/kb_pages.h"

namespace casedesk::adapters::web {

std::string_view KbScript() {
  return R"js('use strict';
(function () {
  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }
  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); });
  }

  document.querySelectorAll('[data-kb-suggest]').forEach(function (region) {
    var field = document.getElementById(region.getAttribute('data-kb-suggest'));
    if (!field) { return; }
    var list = region.querySelector('ul');
    var last = '';
    var update = debounce(function () {
      var q = field.value.trim();
      if (q === last) { return; }
      last = q;
      if (q.length < 3) { region.hidden = true; list.textContent = ''; return; }
      getJson('/api/v1/kb/suggest?limit=5&q=' + encodeURIComponent(q)).then(function (data) {
        if (field.value.trim() !== q) { return; }
        list.textContent = '';
        data.items.forEach(function (hit) {
          var item = document.createElement('li');
          var link = document.createElement('a');
          link.href = hit.url + '?from=new-case';
          link.textContent = hit.title;
          item.appendChild(link);
          list.appendChild(item);
        });
        region.hidden = data.items.length === 0;
      }).catch(function () { region.hidden = true; });
    }, 250);
    field.addEventListener('input', update);
  });

})();
)js";
}

}  // namespace casedesk::adapters::web
