// The console's shell: sign-in, navigation and a hash router (#/segments, #/segments/<id>,
// #/reports, #/chat, #/docs). Each page module renders into <main> and owns nothing else.
import { api, session } from './api.js';
import { errorLine, h, show } from './dom.js';
import { renderSegments } from './segments.js';
import { renderSegment } from './segment.js';
import { renderReports } from './reports.js';
import { renderChat } from './chat.js';
import { renderDocs } from './docs.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');

const routes = [
  [/^#\/segments\/([A-Za-z0-9_-]+)$/, (m) => renderSegment(main, m[1])],
  [/^#\/reports$/, () => renderReports(main)],
  [/^#\/chat$/, () => renderChat(main)],
  [/^#\/docs$/, () => renderDocs(main)],
  [/^#\/segments$/, () => renderSegments(main)],
];

function signInPage(message) {
  const key = h('input', { type: 'password', id: 'api-key', autocomplete: 'off', required: true });
  const status = h('div');
  const form = h(
    'form',
    { class: 'card signin', id: 'sign-in' },
    h('h2', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'With a workspace API key. It is kept in this tab only (session storage).'),
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
      location.hash = '#/segments';
      render();
    } catch (err) {
      show(
        status,
        err.status === 401 ? h('p', { class: 'error' }, 'That key is not valid.') : errorLine(err),
      );
    }
  });
  nav.hidden = true;
  show(main, h('section', {}, form));
  key.focus();
}

async function render() {
  if (!session.key()) return signInPage();
  nav.hidden = false;
  const hash = location.hash || '#/segments';
  for (const a of nav.querySelectorAll('a'))
    a.classList.toggle('active', hash.startsWith(a.getAttribute('href')));
  for (const [re, page] of routes) {
    const m = re.exec(hash);
    if (m) {
      try {
        return await page(m);
      } catch (err) {
        return show(main, h('section', { class: 'card' }, errorLine(err)));
      }
    }
  }
  location.hash = '#/segments';
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  location.hash = '';
  render();
});
window.addEventListener('segments:unauthorized', () => {
  session.signOut();
  signInPage('The key was refused: sign in again.');
});
window.addEventListener('hashchange', render);
render();
