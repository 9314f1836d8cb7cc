// Unit tests of the website tracker, with Node's own test runner: node --test BehaviorPoints.Web/Tracker/
// Each test runs t.js in a fresh sandbox with a small fake page (document, history, cookies, fetch and sendBeacon).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { webcrypto } from 'node:crypto';
import vm from 'node:vm';

const source = readFileSync(new URL('./t.js', import.meta.url), 'utf8');

function element(tag, attributes = {}, extra = {}) {
  return {
    tagName: tag.toUpperCase(),
    dataset: extra.dataset || {},
    getAttribute: (name) => (name in attributes ? attributes[name] : null),
    ...extra,
  };
}

// A page at href with the snippet's attributes; options: navigator fields, a fetch that fails, a queue set before load.
function page({ href = 'https://www.example.com/pricing?utm_medium=cpc', referrer = '', script = {}, navigator = {}, fetchFails = 0, queued = [] } = {}) {
  const sent = [];
  const beacons = [];
  const listeners = {};
  let cookies = {};
  let fetchCalls = 0;
  const timers = [];
  const location = new URL(href);
  const snippet = element('script', { 'data-key': 'pk_test', ...script }, { src: 'https://crm.example.com/t.js' });
  const document = {
    currentScript: snippet,
    title: 'Pricing',
    referrer,
    visibilityState: 'visible',
    get cookie() {
      return Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ');
    },
    set cookie(text) {
      const [pair, ...attributes] = text.split('; ');
      const [name, value] = pair.split('=');
      if (attributes.some((a) => a === 'Max-Age=0')) {
        delete cookies[name];
      } else {
        cookies[name] = value;
      }
    },
    querySelector: () => snippet,
    addEventListener: (type, fn) => (listeners[type] = listeners[type] || []).push(fn),
  };
  const history = {
    pushState(state, title, url) {
      location.href = new URL(url, location.href).href;
    },
    replaceState(state, title, url) {
      location.href = new URL(url, location.href).href;
    },
  };
  const window = {
    crypto: webcrypto,
    addEventListener: (type, fn) => (listeners[type] = listeners[type] || []).push(fn),
    fetch: (url, init) => {
      fetchCalls++;
      if (fetchCalls <= fetchFails) {
        return Promise.reject(new TypeError('network down'));
      }
      sent.push({ url, init, body: JSON.parse(init.body) });
      return Promise.resolve({ status: 202, headers: { get: () => null } });
    },
  };
  if (queued.length) {
    window.bp = function () { (window.bp.q = window.bp.q || []).push(arguments); };
    queued.forEach((args) => window.bp(...args));
  }
  const sandbox = {
    window,
    document,
    history,
    location,
    navigator: { sendBeacon: (url, blob) => { beacons.push({ url, blob }); return true; }, ...navigator },
    URL,
    Blob,
    JSON,
    Date,
    Math,
    Uint8Array,
    Array,
    Promise,
    setTimeout: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
    clearTimeout: (id) => { if (timers[id - 1]) timers[id - 1].fn = () => {}; },
  };
  vm.createContext(sandbox);
  vm.runInContext(source, sandbox);
  return {
    window,
    document,
    history,
    sent,
    beacons,
    cookies: () => cookies,
    dispatch: (type, event) => (listeners[type] || []).forEach((fn) => fn(event)),
    // Runs the timers that are due (the flush after a second, a retry); settles the fetch promises in between.
    async tick() {
      for (let round = 0; round < 5; round++) {
        const due = timers.splice(0);
        due.forEach((t) => t.fn());
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    events: () => sent.flatMap((s) => s.body.events),
  };
}

test('a page view is sent with the key, a visitor id kept in bp_vid and an id that carries it', async () => {
  const p = page({ referrer: 'https://www.google.com/' });
  await p.tick();
  assert.equal(p.sent.length, 1);
  const { url, init, body } = p.sent[0];
  assert.equal(url, 'https://crm.example.com/collect');
  assert.equal(init.headers['Content-Type'], 'text/plain');
  assert.equal(init.keepalive, true);
  assert.equal(body.key, 'pk_test');
  assert.match(body.visitorId, /^[0-9a-f]{32}$/);
  assert.equal(p.cookies().bp_vid, body.visitorId);
  const [view] = body.events;
  assert.equal(view.behavior, 'website.visit');
  assert.ok(view.id.startsWith(body.visitorId + '-'));
  assert.deepEqual(
    { path: view.attributes.path, title: view.attributes.title, source: view.attributes.source },
    { path: '/pricing', title: 'Pricing', source: 'ads' });
});

test('the visit source comes from utm tags, then the referrer', async () => {
  const cases = [
    ['https://www.example.com/', 'https://www.bing.com/search?q=crm', 'search'],
    ['https://www.example.com/', 'https://www.linkedin.com/feed', 'social'],
    ['https://www.example.com/?utm_medium=email', '', 'email'],
    ['https://www.example.com/', '', 'direct'],
    ['https://www.example.com/', 'https://partner.example.net/', 'referral'],
  ];
  for (const [href, referrer, source] of cases) {
    const p = page({ href, referrer });
    await p.tick();
    assert.equal(p.events()[0].attributes.source, source, `${href} from ${referrer}`);
  }
});

test('history changes of a single-page app are page views, and two page loads never share an event id', async () => {
  const p = page();
  p.history.pushState({}, '', '/pricing/enterprise');
  p.history.replaceState({}, '', '/pricing/enterprise'); // the same address again: not another view
  await p.tick();
  const views = p.events();
  assert.deepEqual(views.map((e) => e.attributes.path), ['/pricing', '/pricing/enterprise']);
  assert.equal(views[1].attributes.referrer, 'https://www.example.com/pricing?utm_medium=cpc');

  const again = page();
  again.document.cookie = `bp_vid=${p.cookies().bp_vid}; Max-Age=1`;
  await again.tick();
  assert.notEqual(again.events()[0].id, views[0].id);
});

test('a marked form sends its id and the identifying email, never another field', async () => {
  const p = page();
  await p.tick();
  const fields = [
    { type: 'email', name: 'work_email', value: ' Li.Wei@Example.com ' },
    { type: 'text', name: 'name', value: 'Li Wei' },
    { type: 'text', name: 'message', value: 'my secret plans' },
  ];
  const form = element('form', { 'data-bp-form': 'contact-us', name: 'Contact us' }, {
    querySelectorAll: () => fields,
    querySelector: () => fields[1],
  });
  p.dispatch('submit', { target: form });
  await p.tick();
  const submit = p.sent.length ? p.events().find((e) => e.behavior === 'form.submit') : null;
  const beaconed = p.beacons.map((b) => b.blob);
  assert.ok(submit || beaconed.length, 'the form was sent');
  const texts = await Promise.all(beaconed.map((b) => b.text()));
  const event = submit || texts.map((t) => JSON.parse(t)).flatMap((b) => b.events).find((e) => e.behavior === 'form.submit');
  assert.deepEqual(event.attributes, { formId: 'contact-us', formName: 'Contact us', url: 'https://www.example.com/pricing?utm_medium=cpc', path: '/pricing' });
  assert.deepEqual(event.identify, { email: 'Li.Wei@Example.com', name: 'Li Wei' });
  assert.ok(!JSON.stringify(event).includes('secret plans'));
});

test('an unmarked form is ignored unless the site counts every form', async () => {
  const form = element('form', {}, { id: 'newsletter', querySelectorAll: () => [], querySelector: () => null });
  const p = page();
  p.dispatch('submit', { target: form });
  await p.tick();
  assert.equal(p.events().filter((e) => e.behavior === 'form.submit').length + p.beacons.length, 0);

  const all = page({ script: { 'data-forms': 'all' } });
  all.dispatch('submit', { target: form });
  const sent = await Promise.all(all.beacons.map((b) => b.blob.text()));
  assert.equal(sent.map((t) => JSON.parse(t)).flatMap((b) => b.events).find((e) => e.behavior === 'form.submit').attributes.formId, 'newsletter');
});

test('a click on a data-bp-event element becomes that behavior with its data-bp-* attributes', async () => {
  const p = page();
  const button = element('button', { 'data-bp-event': 'content.download' }, { dataset: { bpEvent: 'content.download', bpContentId: 'wp-7' } });
  p.dispatch('click', { target: { closest: () => button } });
  await p.tick();
  const download = p.events().find((e) => e.behavior === 'content.download');
  assert.deepEqual(download.attributes, { url: 'https://www.example.com/pricing?utm_medium=cpc', path: '/pricing', contentId: 'wp-7' });
});

test('commands queued before the script loaded run, and bp() takes track and identify', async () => {
  const p = page({ queued: [['track', 'webinar.attend', { webinarId: 'w-12' }]] });
  p.window.bp('identify', { email: 'ana@example.com', signature: 'abc' });
  await p.tick();
  const events = p.events();
  assert.deepEqual(events.find((e) => e.behavior === 'webinar.attend').attributes, { webinarId: 'w-12' });
  assert.deepEqual(events.find((e) => e.behavior === 'identify').identify, { email: 'ana@example.com', signature: 'abc' });
});

test('under implied consent a browser asking not to be tracked sends nothing and keeps no cookie', async () => {
  for (const navigator of [{ doNotTrack: '1' }, { globalPrivacyControl: true }]) {
    const p = page({ navigator });
    p.window.bp('track', 'content.download', {});
    await p.tick();
    assert.equal(p.sent.length + p.beacons.length, 0);
    assert.equal(p.cookies().bp_vid, undefined);
  }
});

test('where consent is required nothing is sent before it, and withdrawing it forgets the visitor', async () => {
  const p = page({ script: { 'data-consent': 'required' } });
  p.window.bp('track', 'content.download', {});
  await p.tick();
  assert.equal(p.sent.length, 0);
  assert.equal(p.cookies().bp_vid, undefined);

  p.window.bp('consent', true);
  await p.tick();
  assert.deepEqual(p.events().map((e) => e.behavior), ['website.visit']);
  assert.equal(p.sent[0].body.consent, true);
  assert.ok(p.cookies().bp_vid);

  p.window.bp('consent', false);
  p.window.bp('track', 'content.download', {});
  await p.tick();
  assert.equal(p.events().length, 1);
  assert.equal(p.cookies().bp_vid, undefined);
});

test('a failed send is retried once, then let go; nothing throws into the page', async () => {
  const once = page({ fetchFails: 1 });
  await once.tick();
  assert.equal(once.sent.length, 1);

  const twice = page({ fetchFails: 2 });
  await twice.tick();
  assert.equal(twice.sent.length, 0);

  const broken = page();
  broken.window.fetch = () => { throw new Error('blocked by an extension'); };
  assert.doesNotThrow(() => broken.window.bp('track', 'content.download', {}));
  assert.doesNotThrow(() => broken.window.bp('no-such-command'));
  await broken.tick();
});

test('a browser driven by automation says so', async () => {
  const p = page({ navigator: { webdriver: true } });
  await p.tick();
  assert.equal(p.sent[0].body.webdriver, true);
});

test('leaving the page sends what waits with a beacon', async () => {
  const p = page();
  p.window.bp('track', 'content.share', {});
  p.dispatch('pagehide', {});
  assert.equal(p.beacons.length, 1);
  const body = JSON.parse(await p.beacons[0].blob.text());
  assert.deepEqual(body.events.map((e) => e.behavior), ['website.visit', 'content.share']);
});

test('the script is at most 6 KB gzipped', () => {
  const size = gzipSync(Buffer.from(source), { level: 9 }).length;
  assert.ok(size <= 6 * 1024, `${size} bytes gzipped`);
});
