/*
 * The helpdesk's support chat on a customer's own site:
 *
 *   <script src="https://helpdesk.example/chat-embed.js" data-token="…" defer></script>
 *
 * data-token: a chat token from POST /api/chats/tokens (signed by the helpdesk for one of your users);
 * without it the chat uses the helpdesk session of whoever is signed in. Adds a "Chat with support"
 * button that opens the chat in a frame served by the helpdesk. No inline script, no eval, no
 * inline style attributes: it works under a strict Content-Security-Policy (allow this script's
 * origin in script-src and frame-src).
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var origin = new URL(script.src).origin;
  var token = script.getAttribute('data-token');
  var label = script.getAttribute('data-label') || 'Chat with support';
  var frame = null;

  function place(el, css) {
    for (var k in css) el.style.setProperty(k, css[k]);
  }

  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.className = 'helpdesk-chat-button';
  place(button, {
    position: 'fixed',
    right: '1rem',
    bottom: '1rem',
    'z-index': '2147483000',
    padding: '0.7rem 1rem',
    border: '0',
    'border-radius': '1.5rem',
    background: '#1d4ed8',
    color: '#fff',
    font: '600 1rem system-ui, sans-serif',
    cursor: 'pointer',
  });

  button.addEventListener('click', function () {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.title = 'Support chat';
      frame.className = 'helpdesk-chat-frame';
      frame.src = origin + '/embed/chat' + (token ? '#token=' + encodeURIComponent(token) : '');
      place(frame, {
        position: 'fixed',
        right: '1rem',
        bottom: '4.5rem',
        width: 'min(26rem, calc(100vw - 2rem))',
        height: 'min(40rem, calc(100vh - 6rem))',
        border: '1px solid #ccc',
        'border-radius': '0.5rem',
        background: '#fff',
        'z-index': '2147483000',
      });
      document.body.appendChild(frame);
    } else frame.hidden = !frame.hidden;
    button.setAttribute('aria-expanded', String(!frame.hidden));
  });

  function add() {
    document.body.appendChild(button);
  }
  if (document.body) add();
  else document.addEventListener('DOMContentLoaded', add);
})();
