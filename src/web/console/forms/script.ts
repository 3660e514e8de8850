/**
 * The console's one page script (/console/assets/console-forms.js), plain ES5-compatible
 * JavaScript from our origin. Every page works without it; with it:
 * - a limit from the API's schema is counted as the user types ("812 of 1000 characters");
 * - fields that belong to one choice (a credential type, a rule kind) show only for it;
 * - a long operation shows its progress while the request runs, and cannot be sent twice;
 * - the OAuth form opens the consent window, and the page refreshes when the callback page
 *   reports back (postMessage from our own origin only);
 * - join links copy to the clipboard; the join page preview follows the colours typed;
 * - a creative's file is uploaded when picked, and previewed;
 * - a final report's CSV file is read into its text field when picked.
 */
export const formsScript = String.raw`(function () {
  'use strict';
  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  // Limits counted as the user types.
  each('[data-count-for]', function (counter) {
    var field = document.getElementById(counter.getAttribute('data-count-for'));
    if (!field) return;
    var max = Number(counter.getAttribute('data-max'));
    var unit = counter.getAttribute('data-unit');
    var list = counter.getAttribute('data-list') === 'true';
    function update() {
      var used = list
        ? field.value.split(/[\n,]/).filter(function (v) { return v.trim() !== ''; }).length
        : field.value.length;
      counter.textContent = used + ' of ' + max + ' ' + unit + (used > max ? ': too many' : '');
      counter.classList.toggle('over', used > max);
    }
    field.addEventListener('input', update);
    update();
  });

  // Fields shown for one choice only; hidden ones are disabled, so they are neither sent nor required.
  each('[data-show-field]', function (wrap) {
    var control = document.getElementById(wrap.getAttribute('data-show-field'));
    if (!control) return;
    var values = wrap.getAttribute('data-show-values').split(' ');
    function update() {
      var shown = values.indexOf(control.value) !== -1;
      wrap.hidden = !shown;
      each('input, select, textarea', function (input) { input.disabled = !shown; }, wrap);
    }
    control.addEventListener('change', update);
    update();
  });

  // Progress while a long request runs; a second press does not send it again.
  each('form[data-busy]', function (form) {
    form.addEventListener('submit', function () {
      if (form.getAttribute('data-sent') === 'true') return;
      form.setAttribute('data-sent', 'true');
      var note = form.querySelector('.busy');
      var started = Date.now();
      if (note) {
        note.hidden = false;
        note.innerHTML = '';
        var bar = document.createElement('progress');
        bar.setAttribute('aria-label', 'Working');
        var text = document.createElement('span');
        text.textContent = form.getAttribute('data-busy');
        var clock = document.createElement('span');
        clock.className = 'elapsed';
        note.appendChild(bar);
        note.appendChild(text);
        note.appendChild(clock);
        setInterval(function () {
          clock.textContent = ' ' + Math.round((Date.now() - started) / 1000) + ' s';
        }, 1000);
      }
      setTimeout(function () {
        each('button[type=submit]', function (b) { b.disabled = true; }, form);
      }, 0);
    });
  });

  // OAuth consent in a popup; the callback page tells us when it is done.
  each('form[data-popup]', function (form) {
    form.addEventListener('submit', function () {
      window.open('about:blank', form.getAttribute('data-popup'), 'popup,width=560,height=720');
    });
  });
  window.addEventListener('message', function (event) {
    if (event.origin !== window.location.origin || !event.data) return;
    var type = event.data.type;
    if (type !== 'oauth-complete' && type !== 'oauth-error') return;
    each('.oauth-status', function (status) {
      status.textContent = type === 'oauth-complete'
        ? 'Connected. Refreshing this page…'
        : 'The connection did not complete: ' + (event.data.error || 'unknown error');
    });
    if (type === 'oauth-complete') setTimeout(function () { window.location.reload(); }, 300);
  });
  each('a[data-auto-follow]', function (link) { window.location.assign(link.href); });

  // Copy a join link.
  each('button[data-copy]', function (button) {
    button.addEventListener('click', function () {
      var input = document.getElementById(button.getAttribute('data-copy'));
      if (!input) return;
      input.select();
      var done = function () { button.textContent = 'Copied'; };
      if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, done);
      else { document.execCommand('copy'); done(); }
    });
  });

  // The join page preview follows the colours as they are typed.
  each('iframe[data-preview-for]', function (frame) {
    var form = document.getElementById(frame.getAttribute('data-preview-for'));
    if (!form) return;
    var timer;
    form.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = [];
        each('[data-preview]', function (input) {
          query.push(encodeURIComponent(input.getAttribute('data-preview')) + '=' + encodeURIComponent(input.value.trim()));
        }, form);
        frame.src = '/console/storefront/join-preview?' + query.join('&');
      }, 300);
    });
  });

  // A small text file (a final report) read into the field it belongs to, to check before sending.
  each('input[type=file][data-read-into]', function (input) {
    var target = document.getElementById(input.getAttribute('data-read-into'));
    if (!target || !window.FileReader) return;
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) return;
      var reader = new FileReader();
      reader.onload = function () {
        target.value = String(reader.result);
        target.dispatchEvent(new Event('input'));
      };
      reader.readAsText(file);
    });
  });

  // A creative's file: uploaded when picked, then named by the form.
  each('input[type=file][data-upload]', function (input) {
    var form = input.form;
    var figure = document.querySelector('.upload-preview');
    var caption = figure && figure.querySelector('figcaption');
    var image = figure && figure.querySelector('img');
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) return;
      var submit = form.querySelector('button[type=submit]');
      if (submit) submit.disabled = true;
      if (figure) { figure.hidden = false; image.hidden = true; caption.textContent = 'Uploading ' + file.name + '…'; }
      var request = new XMLHttpRequest();
      request.open('POST', '/console/creative-assets?filename=' + encodeURIComponent(file.name));
      request.setRequestHeader('content-type', file.type || 'application/octet-stream');
      request.setRequestHeader('x-csrf-token', form.elements.csrf.value);
      request.onload = function () {
        if (submit) submit.disabled = false;
        var answer = {};
        try { answer = JSON.parse(request.responseText); } catch (e) { answer = {}; }
        if (request.status !== 200) {
          if (caption) caption.textContent = 'Upload refused: ' + (answer.error || request.status);
          return;
        }
        form.elements['assets.0.asset_id'].value = answer.assetId;
        form.elements['assets.0.filename'].value = answer.filename;
        if (caption) caption.textContent = 'Uploaded ' + answer.filename + ' (' + answer.type.toLowerCase() + ').';
        if (image && answer.previewUrl && answer.type === 'IMAGE') { image.src = answer.previewUrl; image.hidden = false; }
      };
      request.onerror = function () {
        if (submit) submit.disabled = false;
        if (caption) caption.textContent = 'The upload did not reach the server.';
      };
      request.send(file);
    });
  });
})();
`;
