/*
 * BehaviorPoints website tracker. Paste on every page of the site:
 *
 *   <script async src="https://crm.example.com/t.js" data-key="pk_..."></script>
 *
 * Optional attributes on that tag: data-consent="required" (send nothing until the page calls bp('consent', true)),
 * data-forms="all" (every form counts, not only those marked data-bp-form="id").
 * Optional command queue, so the page can call bp(...) before this script has loaded:
 *
 *   <script>window.bp = window.bp || function () { (bp.q = bp.q || []).push(arguments); };</script>
 *
 * What it sends (POST /collect on the server it was loaded from):
 *   - page views as website.visit (url, path, title, referrer, source), history changes of single-page apps included;
 *   - submits of forms marked data-bp-form="id" as form.submit (formId, formName and the page's url and path; never a
 *     field's value, except the email that identifies the visitor);
 *   - clicks on elements marked data-bp-event="behavior.code" (their data-bp-* attributes become the behavior's, with
 *     the page's url and path);
 *   - bp('track', 'content.download', { contentId: 'wp-7' }), bp('identify', { email, name, signature }),
 *     bp('consent', true | false).
 * It keeps a random visitor id in a first-party cookie, bp_vid, for a year. Under implied consent a browser that asks
 * not to be tracked (Do Not Track, Global Privacy Control) sends nothing. It never throws into the page and never blocks
 * it: what cannot be sent after one retry is let go.
 */
(function (window, document) {
  'use strict';

  var COOKIE = 'bp_vid';
  var YEAR_SECONDS = 365 * 24 * 3600;
  var MAX_EVENTS = 50;          // per request, as the collector takes
  var MAX_BYTES = 60000;        // per request: the collector takes 64 KiB, keepalive requests at most 64 KiB in all
  var FLUSH_MS = 1000;          // events wait this long for company before they are sent
  var RETRY_MS = 2000;

  var script = document.currentScript || document.querySelector('script[data-key][src*="/t.js"]');
  if (!script || window.__bpTracker) {
    return;
  }
  window.__bpTracker = true;

  var key = script.getAttribute('data-key') || '';
  var endpoint = new URL('/collect', script.src).href;
  var consentRequired = script.getAttribute('data-consent') === 'required';
  var allForms = script.getAttribute('data-forms') === 'all';
  var loadedAt = Date.now();
  var pageRun = randomHex(4);   // with the sequence, an event id never repeats across page loads and tabs
  var sequence = 0;
  var queue = [];
  var timer = null;
  var lastUrl = null;
  var consented = !consentRequired;
  var optedOut = !consentRequired && (navigator.doNotTrack === '1' || window.doNotTrack === '1' || navigator.globalPrivacyControl === true);

  function safely(fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (e) {
        // The page comes first: a tracker problem stays in the tracker.
      }
    };
  }

  function randomHex(bytes) {
    var values = new Uint8Array(bytes);
    (window.crypto || window.msCrypto).getRandomValues(values);
    var hex = '';
    for (var i = 0; i < values.length; i++) {
      hex += (values[i] < 16 ? '0' : '') + values[i].toString(16);
    }
    return hex;
  }

  function readCookie() {
    var match = document.cookie.match(/(?:^|;\s*)bp_vid=([A-Za-z0-9_-]{16,64})/);
    return match ? match[1] : null;
  }

  function writeCookie(value, maxAge) {
    var secure = location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = COOKIE + '=' + value + '; Max-Age=' + maxAge + '; Path=/; SameSite=Lax' + secure;
  }

  function visitorId() {
    var id = readCookie();
    if (!id) {
      id = randomHex(16);
    }
    writeCookie(id, YEAR_SECONDS); // renewed on every page: a year from the last visit
    return id;
  }

  function tracking() {
    return key && consented && !optedOut;
  }

  // Where the visit came from: utm tags first, then the referrer's site.
  function sourceOf(url, referrer) {
    var medium = (url.searchParams.get('utm_medium') || '').toLowerCase();
    if (/^(cpc|ppc|paid|paidsearch|display|ads?)$/.test(medium) || url.searchParams.get('gclid') || url.searchParams.get('msclkid')) {
      return 'ads';
    }
    if (medium === 'email' || medium === 'newsletter') {
      return 'email';
    }
    if (medium === 'social' || medium === 'social-media') {
      return 'social';
    }
    if (!referrer) {
      return 'direct';
    }
    var host;
    try {
      host = new URL(referrer).hostname;
    } catch (e) {
      return 'direct';
    }
    if (host === location.hostname) {
      return 'direct';
    }
    if (/(^|\.)(google|bing|baidu|yahoo|duckduckgo|yandex|sogou|so|ecosia|naver)\.[a-z.]+$/.test(host)) {
      return 'search';
    }
    if (/(^|\.)(facebook|instagram|linkedin|twitter|x|t|weibo|weixin|qq|youtube|reddit|tiktok|douyin|zhihu|xiaohongshu)\.[a-z.]+$/.test(host)) {
      return 'social';
    }
    return 'referral';
  }

  function enqueue(behavior, attributes, identify) {
    if (!tracking()) {
      return;
    }
    var event = {
      id: visitorId() + '-' + pageRun + '-' + (++sequence),
      behavior: behavior,
      at: new Date().toISOString(),
      attributes: attributes || {},
      sinceLoad: Date.now() - loadedAt
    };
    if (identify) {
      event.identify = identify;
    }
    queue.push(event);
    if (queue.length >= MAX_EVENTS) {
      flush(false);
    } else if (!timer) {
      timer = setTimeout(safely(function () { flush(false); }), FLUSH_MS);
    }
  }

  function pageView() {
    if (!tracking()) {
      return; // once consent comes, the page it came on is viewed
    }
    var url = new URL(location.href);
    if (url.href === lastUrl) {
      return; // replaceState to the same address is not another view
    }
    var referrer = lastUrl || document.referrer; // a single-page app's previous address is its referrer
    lastUrl = url.href;
    enqueue('website.visit', { url: url.href, path: url.pathname, title: document.title, referrer: referrer, source: sourceOf(url, referrer) });
  }

  // Splits what waits into requests the collector takes, and sends them.
  function flush(leaving) {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    while (queue.length && tracking()) {
      var batch = [];
      var body;
      do {
        batch.push(queue.shift());
        body = payload(batch);
      } while (queue.length && batch.length < MAX_EVENTS && payload(batch.concat(queue[0])).length <= MAX_BYTES);
      if (body.length > MAX_BYTES) {
        continue; // one event too big to send: let it go rather than block the rest
      }
      send(body, leaving, 0);
    }
  }

  function payload(events) {
    var body = { key: key, visitorId: visitorId(), events: events, consent: consented };
    if (navigator.webdriver === true) {
      body.webdriver = true;
    }
    return JSON.stringify(body);
  }

  // text/plain keeps the request "simple": no preflight. Beacons when the page is going away; otherwise fetch with
  // keepalive, retried once when the network or the server failed.
  function send(body, leaving, attempt) {
    if (leaving && navigator.sendBeacon && navigator.sendBeacon(endpoint, new Blob([body], { type: 'text/plain' }))) {
      return;
    }
    if (!window.fetch) {
      return;
    }
    window.fetch(endpoint, { method: 'POST', body: body, keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain' } })
      .then(function (response) {
        if ((response.status >= 500 || response.status === 429) && attempt === 0) {
          var wait = Math.min(10, parseInt(response.headers.get('Retry-After'), 10) || 0) * 1000;
          retry(body, Math.max(RETRY_MS, wait));
        }
      }, function () {
        if (attempt === 0) {
          retry(body, RETRY_MS);
        }
      })['catch'](function () {});
  }

  function retry(body, wait) {
    setTimeout(safely(function () { send(body, false, 1); }), wait);
  }

  function emailIn(form) {
    var fields = form.querySelectorAll('input');
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if ((field.type === 'email' || /e-?mail/i.test(field.name || '')) && /.+@.+/.test(field.value)) {
        return field.value.trim();
      }
    }
    return null;
  }

  function nameIn(form) {
    var field = form.querySelector('input[name="name" i], input[autocomplete="name"]');
    return field && field.value ? field.value.trim() : undefined;
  }

  function onSubmit(e) {
    var form = e.target;
    if (!form || form.tagName !== 'FORM') {
      return;
    }
    var marked = form.getAttribute('data-bp-form');
    if (marked === null && !allForms) {
      return;
    }
    var formId = marked || form.id || form.getAttribute('name') || 'form';
    var email = emailIn(form);
    enqueue('form.submit', {
      formId: formId,
      formName: form.getAttribute('data-bp-form-name') || form.getAttribute('name') || form.getAttribute('aria-label') || formId,
      url: location.href,
      path: location.pathname
    }, email ? { email: email, name: nameIn(form) } : null);
    flush(true); // the page may be about to go
  }

  // data-bp-content-id="wp-7" becomes the attribute contentId; the page it was on comes along.
  function attributesOf(element) {
    var attributes = { url: location.href, path: location.pathname };
    for (var name in element.dataset) {
      if (name.indexOf('bp') === 0 && name !== 'bpEvent' && name.length > 2) {
        attributes[name.charAt(2).toLowerCase() + name.slice(3)] = element.dataset[name];
      }
    }
    return attributes;
  }

  function onClick(e) {
    var element = e.target && e.target.closest ? e.target.closest('[data-bp-event]') : null;
    if (element) {
      enqueue(element.getAttribute('data-bp-event'), attributesOf(element));
      if (element.tagName === 'A') {
        flush(true);
      }
    }
  }

  var commands = {
    track: function (behavior, attributes) {
      if (typeof behavior === 'string') {
        enqueue(behavior, attributes && typeof attributes === 'object' ? attributes : {});
      }
    },
    identify: function (person) {
      if (person && typeof person.email === 'string') {
        // Says who the visitor is; it is not a behavior of its own.
        enqueue('identify', {}, { email: person.email, name: person.name, signature: person.signature });
        flush(false);
      }
    },
    consent: function (given) {
      consented = given === true;
      if (consented) {
        optedOut = false;
        pageView();
      } else {
        queue = [];
        writeCookie('', 0); // forget the visitor
      }
    }
  };

  var bp = safely(function (command) {
    var run = commands[command];
    if (run) {
      run.apply(null, Array.prototype.slice.call(arguments, 1));
    }
  });

  var waiting = window.bp && window.bp.q;
  window.bp = bp;

  safely(function () {
    // History changes of single-page apps are page views.
    ['pushState', 'replaceState'].forEach(function (method) {
      var original = history[method];
      if (typeof original === 'function') {
        history[method] = function () {
          var result = original.apply(this, arguments);
          setTimeout(safely(pageView), 0);
          return result;
        };
      }
    });
    window.addEventListener('popstate', safely(pageView));
    document.addEventListener('submit', safely(onSubmit), true);
    document.addEventListener('click', safely(onClick), true);
    window.addEventListener('pagehide', safely(function () { flush(true); }));
    document.addEventListener('visibilitychange', safely(function () {
      if (document.visibilityState === 'hidden') {
        flush(true);
      }
    }));

    pageView();
    if (waiting) {
      for (var i = 0; i < waiting.length; i++) {
        bp.apply(null, waiting[i]);
      }
    }
  })();
})(window, document);
