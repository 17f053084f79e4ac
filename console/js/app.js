// The console's shell: sign-in, navigation and a hash router. Signed out, the sign-in page is all
// there is (no navigation, no Sign out); signed in, each route's module renders into an element
// of its own in <main> and owns nothing else; a route that is not there is a not-found page, never another page.
import { api, session } from './api.js';
import { errorLine, h, show } from './dom.js';
import { renderSegments } from './segments.js';
import { renderSegment } from './segment.js';
import { renderCampaigns } from './campaigns.js';
import { renderCampaign } from './campaign.js';
import { renderFlows } from './flows.js';
import { renderReports } from './reports.js';
import { renderChat } from './chat.js';
import { renderDocs } from './docs.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const ID = '([A-Za-z0-9_-]+)';

// Each route renders into a fresh element of its own: a slow page still loading when the
// visitor has moved on writes into an element that is no longer shown, never over the new page.
const routes = [
  [/^#\/segments$/, (el) => renderSegments(el)],
  [new RegExp(`^#/segments/${ID}$`), (el, m) => renderSegment(el, m[1])],
  [/^#\/campaigns$/, (el) => renderCampaigns(el)],
  [new RegExp(`^#/campaigns/${ID}$`), (el, m) => renderCampaign(el, m[1])],
  [/^#\/flows$/, (el) => renderFlows(el, {})],
  // Instance ids name their binding and transition (`<binding>:<transition>`): any characters.
  [/^#\/flows\/instances\/([^/]+)$/, (el, m) => renderFlows(el, { instance: decodeURIComponent(m[1]) })],
  [/^#\/flows\/contacts\/([^/]+)$/, (el, m) => renderFlows(el, { contact: decodeURIComponent(m[1]) })],
  [/^#\/reports$/, (el) => renderReports(el)],
  [/^#\/chat$/, (el) => renderChat(el)],
  [/^#\/docs$/, (el) => renderDocs(el)],
];

function signInPage(message) {
  const key = h('input', { type: 'password', id: 'api-key', autocomplete: 'off', required: true });
  const status = h('div');
  const form = h(
    'form',
    { class: 'card signin', id: 'sign-in' },
    h('h2', {}, 'Sign in'),
    h(
      'p',
      { id: 'key-hint' },
      'Use the key printed by ',
      h('code', {}, 'npm start'),
      ' on first run (also in ',
      h('code', {}, 'DATA_DIR/admin-key.txt'),
      '), or another workspace API key.',
    ),
    h('p', { class: 'muted' }, 'The key is kept in this tab only (session storage).'),
    h('label', { for: 'api-key' }, 'API key'),
    key,
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Sign in')),
    status,
  );
  if (message) show(status, h('p', { class: 'error' }, message));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('GET', '/segments', undefined, key.value.trim());
      session.signIn(key.value.trim());
      // Where the visitor was going, or the segments page.
      if (!location.hash || location.hash === '#/') location.hash = '#/segments';
      render();
    } catch (err) {
      show(
        status,
        err.status === 401 ? h('p', { class: 'error' }, 'That key is not valid.') : errorLine(err),
      );
    }
  });
  nav.hidden = true;
  document.title = 'Sign in · Segments console';
  show(main, h('section', {}, form));
  key.focus();
}

function notFound(el, hash) {
  show(
    el,
    h(
      'section',
      { class: 'card', id: 'not-found' },
      h('h2', {}, 'Page not found'),
      h('p', {}, 'There is no page at ', h('code', {}, hash), '.'),
      h('p', {}, h('a', { href: '#/segments' }, 'Go to the segments')),
    ),
  );
}

async function render() {
  if (!session.key()) return signInPage();
  nav.hidden = false;
  if (!location.hash || location.hash === '#/' || location.hash === '#') {
    history.replaceState(null, '', '#/segments');
  }
  const hash = location.hash;
  const section = hash.split('/')[1] ?? '';
  for (const a of nav.querySelectorAll('a'))
    a.classList.toggle('active', a.getAttribute('href') === `#/${section}`);
  document.title = `${section ? section[0].toUpperCase() + section.slice(1) : 'Segments'} · Segments console`;
  const view = h('div', { class: 'view' });
  show(main, view);
  for (const [re, page] of routes) {
    const m = re.exec(hash);
    if (!m) continue;
    try {
      return await page(view, m);
    } catch (err) {
      if (err.status === 404) return notFound(view, hash);
      return show(view, h('section', { class: 'card' }, errorLine(err)));
    }
  }
  notFound(view, hash);
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  history.replaceState(null, '', location.pathname);
  render();
});
window.addEventListener('segments:unauthorized', () => {
  session.signOut();
  signInPage('The key was refused: sign in again.');
});
window.addEventListener('hashchange', render);
render();
