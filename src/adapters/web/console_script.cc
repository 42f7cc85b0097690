// console.js (see console_script.h).
#include "adapters/web/console_script.h"

namespace casedesk::adapters::web {

std::string_view ConsoleScript() {
  return R"js(// Casedesk staff console: countdowns that tick, times in the agent's zone, live regions
// refreshed when the server says a case or queue changed (Server-Sent Events) and by polling
// as a fallback (If-None-Match, so an unchanged page costs a 304), who else is viewing or typing
// on a case, and keyboard shortcuts. Without it every page and form works as served; any
// failure leaves the page as is.
(function () {
  'use strict';
  var POLL_MS = 30000;
  var POLL_WHILE_STREAMING_MS = 120000;
  var TICK_MS = 15000;
  var HEARTBEAT_MS = 20000;
  var TYPING_IDLE_MS = 8000;
  var etag = null;
  var busy = false;
  var again = false;
  var lastPoll = 0;
  var selected = -1;
  var source = null;
  var presence = 'viewing';
  var typingTimer = null;

  function span(ms) {
    var minutes = Math.max(1, Math.floor(ms / 60000));
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor(minutes / 60) % 24;
    var rest = minutes % 60;
    if (days > 0) return days + ' d' + (hours > 0 ? ' ' + hours + ' h' : '');
    if (hours > 0) return hours + ' h' + (rest > 0 ? ' ' + rest + ' min' : '');
    return rest + ' min';
  }

  function countdown(ms) {
    if (ms >= 60000) return 'in ' + span(ms);
    if (ms > -60000) return 'due now';
    return 'overdue by ' + span(-ms);
  }

  function tick(root) {
    var now = Date.now();
    var clocks = root.querySelectorAll('time[data-countdown]');
    for (var i = 0; i < clocks.length; i++) {
      var due = Date.parse(clocks[i].getAttribute('datetime'));
      if (isNaN(due)) continue;
      var overdue = due <= now;
      clocks[i].textContent = (overdue ? '! ' : '') + countdown(due - now);
      clocks[i].classList.toggle('cc-overdue', overdue);
    }
  }

  function localise(root) {
    if (!window.Intl || !Intl.DateTimeFormat) return;
    var format;
    try {
      format = new Intl.DateTimeFormat(undefined, {year: 'numeric', month: 'short', day: 'numeric',
                                                   hour: '2-digit', minute: '2-digit',
                                                   timeZoneName: 'short'});
    } catch (e) {
      return;
    }
    var times = root.querySelectorAll('time[datetime]:not([data-countdown])');
    for (var i = 0; i < times.length; i++) {
      var date = new Date(times[i].getAttribute('datetime'));
      if (isNaN(date.getTime())) continue;
      times[i].title = times[i].textContent;
      times[i].textContent = format.format(date);
    }
  }

  function announce(text) {
    var region = document.getElementById('cc-live-note');
    if (!region) {
      region = document.createElement('div');
      region.id = 'cc-live-note';
      region.className = 'sp-vh';
      region.setAttribute('aria-live', 'polite');
      document.body.appendChild(region);
    }
    region.textContent = text;
  }

  function focusInside(element) {
    var active = document.activeElement;
    return !!active && element.contains(active);
  }

  function poll() {
    if (busy) {
      again = true;  // a change arrived while fetching: fetch once more afterwards
      return;
    }
    if (document.hidden || !window.fetch || !window.DOMParser) return;
    if (!document.querySelector('[data-live][id]')) return;
    busy = true;
    lastPoll = Date.now();
    var headers = {};
    if (etag) headers['If-None-Match'] = etag;
    fetch(location.pathname + location.search,
          {headers: headers, cache: 'no-store', credentials: 'same-origin'})
      .then(function (response) {
        if (response.status !== 200) return null;  // 304 unchanged; errors keep the page
        var tag = response.headers.get('ETag');
        return response.text().then(function (html) { return {tag: tag, html: html}; });
      })
      .then(function (result) {
        if (!result) return;
        var fresh = new DOMParser().parseFromString(result.html, 'text/html');
        var regions = document.querySelectorAll('[data-live][id]');
        var changed = false;
        var deferred = false;
        for (var i = 0; i < regions.length; i++) {
          var next = fresh.getElementById(regions[i].id);
          if (!next || next.innerHTML === regions[i].innerHTML) continue;
          // Never move content under a keyboard user: try again next time.
          if (focusInside(regions[i])) {
            deferred = true;
            continue;
          }
          regions[i].innerHTML = next.innerHTML;
          changed = true;
          localise(regions[i]);
          tick(regions[i]);
        }
        if (!deferred) etag = result.tag;
        if (changed) {
          selected = -1;
          rememberQueue();
          announce('Updated.');
        }
      })
      .catch(function () {
        // Offline or the server is away: keep what is shown and try again later.
      })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          poll();
        }
      });
  }

  function casePath() {
    return /^\/console\/cases\/\d+$/.test(location.pathname) ? location.pathname : null;
  }

  function streaming() {
    return !!source && source.readyState === 1;
  }

  // Who else is on this case, from the server's presence events; nobody: the line goes away.
  function showPresence(others) {
    var line = document.getElementById('cc-presence');
    if (!line) {
      var main = document.querySelector('main');
      if (!main) return;
      line = document.createElement('p');
      line.id = 'cc-presence';
      line.className = 'cc-presence';
      line.setAttribute('role', 'status');
      main.insertBefore(line, main.firstChild);
    }
    var parts = [];
    for (var i = 0; i < others.length; i++) {
      var doing = others[i].state === 'typing' ? ' is typing' : ' is viewing this case';
      parts.push(String(others[i].name) + doing);
    }
    line.textContent = parts.length ? parts.join('; ') + '.' : '';
    line.hidden = !parts.length;
    line.classList.toggle('cc-presence-typing', /is typing/.test(line.textContent));
  }

  function listen() {
    if (!window.EventSource || !document.querySelector('[data-live][id]')) return;
    var page = casePath();
    var url = page ? page + '/events' : location.pathname === '/console/cases' ?
        '/console/events' : null;
    if (!url) return;
    var opened = false;
    source = new EventSource(url);
    source.addEventListener('case', poll);
    source.addEventListener('queue', poll);
    source.addEventListener('presence', function (event) {
      try {
        showPresence(JSON.parse(event.data).others || []);
      } catch (e) {
        // A malformed event changes nothing.
      }
    });
    // After a reconnect, catch up on what changed while the stream was down.
    source.addEventListener('open', function () {
      if (opened) poll();
      opened = true;
      document.body.setAttribute('data-live-stream', 'open');
    });
    source.addEventListener('error', function () {
      document.body.setAttribute('data-live-stream', 'reconnecting');
    });
  }

  function beat(state) {
    var page = casePath();
    var token = document.querySelector('input[name="csrf_token"]');
    if (!page || !token || !window.fetch || !window.URLSearchParams) return;
    presence = state;
    var body = new URLSearchParams();
    body.append('csrf_token', token.value);
    body.append('state', state);
    if (state === 'left' && navigator.sendBeacon) {
      navigator.sendBeacon(page + '/presence', body);
      return;
    }
    fetch(page + '/presence', {method: 'POST', body: body, credentials: 'same-origin'})
      .catch(function () {
        // Presence is a courtesy: a lost heartbeat only shortens it.
      });
  }

  function onTyping(event) {
    var id = event.target && event.target.id;
    if (id !== 'cc-reply' && id !== 'cc-note') return;
    if (presence !== 'typing') beat('typing');
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { beat('viewing'); }, TYPING_IDLE_MS);
  }

  function announcePresence() {
    if (!casePath()) return;
    beat('viewing');
    setInterval(function () {
      if (!document.hidden) beat(presence);
    }, HEARTBEAT_MS);
    document.addEventListener('input', onTyping);
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden) beat(presence);
    });
    window.addEventListener('pagehide', function () { beat('left'); });
  }

  function rows() {
    return document.querySelectorAll('.cq-row .cq-case-link');
  }

  function move(step) {
    var links = rows();
    if (!links.length) return false;
    selected = Math.min(links.length - 1, Math.max(0, selected + step));
    for (var i = 0; i < links.length; i++) {
      links[i].closest('.cq-row').classList.toggle('cq-selected', i === selected);
    }
    links[selected].focus();
    return true;
  }

  // The queue last shown in this tab (its address and its cases' links, in order), so that j
  // and k on a case page open the next or previous case of that queue.
  var QUEUE_KEY = 'casedesk.queue';

  function rememberQueue() {
    var links = rows();
    if (!links.length) return;
    var cases = [];
    for (var i = 0; i < links.length; i++) cases.push(links[i].getAttribute('href'));
    try {
      sessionStorage.setItem(QUEUE_KEY, JSON.stringify(
          {queue: location.pathname + location.search, cases: cases}));
    } catch (e) { /* storage off: j/k stay within the queue page */ }
  }

  function openNeighbour(step) {
    var here = casePath();
    if (!here) return false;
    var remembered = null;
    try { remembered = JSON.parse(sessionStorage.getItem(QUEUE_KEY) || 'null'); } catch (e) {}
    if (!remembered || !remembered.cases) return false;
    var at = remembered.cases.indexOf(here);
    var next = remembered.cases[at + step];
    if (at < 0 || !next) return false;
    location.assign(next);
    return true;
  }

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) return false;
    field.scrollIntoView({block: 'center'});
    field.focus();
    return true;
  }

  function toggleHelp() {
    var help = document.getElementById('cc-shortcuts');
    if (!help) return false;
    help.open = !help.open;
    if (help.open) help.querySelector('summary').focus();
    return true;
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === 'input' || tag === 'textarea' || tag === 'select' || target.isContentEditable;
  }

  function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === 'Escape') event.target.blur();
      return;
    }
    var handled = false;
    if (event.key === 'j') handled = move(1) || openNeighbour(1);
    else if (event.key === 'k') handled = move(-1) || openNeighbour(-1);
    else if (event.key === 'r') handled = focusField('cc-reply');
    else if (event.key === 'n') handled = focusField('cc-note');
    else if (event.key === '?') handled = toggleHelp();
    if (handled) event.preventDefault();
  }

  function start() {
    localise(document);
    tick(document);
    document.addEventListener('keydown', onKey);
    rememberQueue();
    setInterval(function () { tick(document); }, TICK_MS);
    if (document.querySelector('[data-live][id]')) {
      setInterval(function () {
        if (!streaming() || Date.now() - lastPoll >= POLL_WHILE_STREAMING_MS) poll();
      }, POLL_MS);
      document.addEventListener('visibilitychange', function () {
        if (!document.hidden) poll();
      });
      listen();
      announcePresence();
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
