// The status page's script (StatusScript, declared in status_page_html.h), served as
// /static/status.js: times in the visitor's zone and live updates of <main>. The pages work
// without it.
// Thread-safe: a constant.
#include "adapters/web/status_page_html.h"

namespace casedesk::adapters::web {

std::string_view StatusScript() {
  return R"js(// Casedesk status page: shows times in the visitor's own zone and keeps <main data-live>
// current by re-fetching the page every 30 s (If-None-Match, so unchanged pages cost a 304).
// Without it the page works as served; any failure leaves the page as it is.
(function () {
  'use strict';
  var POLL_MS = 30000;
  var etag = null;
  var busy = false;
  var served = null;  // the <main> markup last received from the server

  function formatter(options) {
    try {
      return new Intl.DateTimeFormat(undefined, options);
    } catch (e) {
      return null;
    }
  }

  function localise(root) {
    if (!window.Intl || !Intl.DateTimeFormat) return;
    var short = formatter({month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
                           timeZoneName: 'short'});
    var full = formatter({dateStyle: 'full', timeStyle: 'long'});
    if (!short) return;
    var times = root.querySelectorAll('time[datetime]');
    for (var i = 0; i < times.length; i++) {
      var date = new Date(times[i].getAttribute('datetime'));
      if (isNaN(date.getTime())) continue;
      times[i].textContent = short.format(date);
      if (full) times[i].title = full.format(date);
    }
  }

  function noteZone() {
    var note = document.querySelector('[data-tz-note]');
    if (!note || !window.Intl) return;
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) note.textContent = 'Times are shown in your time zone (' + zone + ').';
    } catch (e) {
      // Keep the server's note.
    }
  }

  function announce(text) {
    var region = document.getElementById('sp-live-note');
    if (!region) {
      region = document.createElement('div');
      region.id = 'sp-live-note';
      region.className = 'sp-vh';
      region.setAttribute('aria-live', 'polite');
      document.body.appendChild(region);
    }
    region.textContent = text;
  }

  // Replacing <main> under a keyboard user would lose their place: wait until focus leaves.
  function focusInside(main) {
    var active = document.activeElement;
    return !!active && active !== main && main.contains(active);
  }

  function poll() {
    var main = document.querySelector('main[data-live]');
    if (!main || busy || document.hidden || !window.fetch || !window.DOMParser) return;
    busy = true;
    var headers = {};
    if (etag) headers['If-None-Match'] = etag;
    fetch(location.pathname, {headers: headers, cache: 'no-store', credentials: 'same-origin'})
      .then(function (response) {
        if (response.status !== 200) return null;  // 304 unchanged; errors keep the page
        var tag = response.headers.get('ETag');
        return response.text().then(function (html) { return {tag: tag, html: html}; });
      })
      .then(function (result) {
        if (!result) return;
        var fresh = new DOMParser().parseFromString(result.html, 'text/html').querySelector('main');
        if (!fresh || focusInside(main)) return;  // try again next time
        etag = result.tag;
        if (fresh.innerHTML === served) return;
        served = fresh.innerHTML;
        main.innerHTML = served;
        localise(main);
        announce('Status updated.');
      })
      .catch(function () {
        // Offline or the server is away: keep what is shown and try again later.
      })
      .then(function () {
        busy = false;
      });
  }

  function start() {
    var main = document.querySelector('main');
    if (main) served = main.innerHTML;
    localise(document);
    noteZone();
    if (document.querySelector('main[data-live]')) {
      setInterval(poll, POLL_MS);
      document.addEventListener('visibilitychange', function () {
        if (!document.hidden) poll();
      });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
)js";
}

}  // namespace casedesk::adapters::web
