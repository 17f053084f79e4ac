// Live Web Chat: botframework-webchat (served from this server) talking to the bot through the
// server's own Direct Line 3.0 endpoint, polling (no WebSocket). The user id is chosen here; an
// admin id (BOT_ADMINS=directline:<id>) can try the admin commands.
import { directLineToken } from './api.js';
import { errorLine, h, show } from './dom.js';

let bundle;
/** Loads Web Chat's bundle once, on the first visit to this page (it is 4 MB). */
function loadWebChat() {
  bundle ??= new Promise((resolve, reject) => {
    const s = h('script', { src: '/console/vendor/webchat.js' });
    s.addEventListener('load', () => resolve(window.WebChat));
    s.addEventListener('error', () => reject(new Error('Web Chat could not be loaded')));
    document.head.append(s);
  });
  return bundle;
}

export async function renderChat(main) {
  const userId = h('input', {
    type: 'text',
    id: 'chat-user',
    value: sessionStorage.getItem('segments.chatUser') ?? 'console-user',
  });
  const name = h('input', {
    type: 'text',
    id: 'chat-name',
    value: sessionStorage.getItem('segments.chatName') ?? 'Console User',
  });
  const box = h('div', { id: 'webchat', role: 'region', 'aria-label': 'Web Chat' });
  const status = h('div');
  const start = async () => {
    sessionStorage.setItem('segments.chatUser', userId.value);
    sessionStorage.setItem('segments.chatName', name.value);
    show(status);
    try {
      const [WebChat, { token }] = await Promise.all([
        loadWebChat(),
        directLineToken(userId.value, name.value),
      ]);
      const directLine = WebChat.createDirectLine({
        token,
        domain: `${location.origin}/v3/directline`,
        webSocket: false,
      });
      box.replaceChildren();
      // No upload button: the built-in Direct Line takes no attachments.
      WebChat.renderWebChat(
        {
          directLine,
          userID: userId.value,
          username: name.value,
          locale: 'en-US',
          styleOptions: { hideUploadButton: true },
        },
        box,
      );
      box.querySelector('input, textarea')?.focus();
    } catch (err) {
      show(
        status,
        err.status === 404
          ? h(
              'p',
              { class: 'notice' },
              'This server has no Direct Line endpoint (it is off when MICROSOFT_APP_ID is set).',
            )
          : errorLine(err),
      );
    }
  };
  show(
    main,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Talk to the bot'),
      h(
        'p',
        { class: 'muted' },
        'A new conversation each time you connect. Try hi, offers, help, agent; admins (BOT_ADMINS=directline:<user id>) can use /segments and the other commands.',
      ),
      h(
        'div',
        { class: 'row' },
        h('label', { for: 'chat-user' }, 'User id'),
        userId,
        h('label', { for: 'chat-name' }, 'Name'),
        name,
        h('button', { type: 'button', id: 'chat-connect', onclick: start }, 'Connect'),
      ),
      status,
      box,
    ),
  );
  await start();
}
