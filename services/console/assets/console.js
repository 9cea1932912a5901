// paywatch console: small progressive enhancements. Pages work without this file (plain forms and links).
(function () {
  'use strict';
  // Charts: <canvas data-chart="ID"> with its data in <script type="application/json" id="ID">.
  function drawCharts() {
    window.Chart.defaults.font.family = "'Sarabun', sans-serif";
    window.Chart.defaults.font.size = 13;
    window.Chart.defaults.color = '#1a1a1a';
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var spec = JSON.parse(document.getElementById(canvas.getAttribute('data-chart')).textContent);
      new window.Chart(canvas, {
        type: spec.type || 'bar',
        data: { labels: spec.labels, datasets: spec.datasets },
        options: { responsive: true, maintainAspectRatio: false, animation: false, indexAxis: spec.indexAxis || 'x',
          plugins: { legend: { display: spec.datasets.length > 1 }, title: { display: !!spec.title, text: spec.title } },
          // Stacked: a split payment's parts make up one bar next to the threshold.
          // Logarithmic when the amounts span orders of magnitude (charts.ts decides), so a median stays visible beside a large payment.
          scales: {
            x: { stacked: !!spec.stacked, title: { display: !!spec.xTitle, text: spec.xTitle || '' } },
            y: spec.yScale === 'logarithmic'
              ? { type: 'logarithmic', stacked: !!spec.stacked, title: { display: !!spec.yTitle, text: spec.yTitle || '' } }
              : { beginAtZero: true, stacked: !!spec.stacked, title: { display: !!spec.yTitle, text: spec.yTitle || '' } },
          } },
      });
      canvas.setAttribute('data-rendered', 'true');
    });
  }
  // Canvas text does not wait for web fonts: load Sarabun's Thai face first, or Thai labels draw as boxes.
  if (window.Chart && document.querySelector('canvas[data-chart]')) {
    var fonts = document.fonts && document.fonts.load ? Promise.all([document.fonts.load("400 13px Sarabun", 'ก'), document.fonts.load("700 13px Sarabun", 'ก')]) : Promise.resolve();
    fonts.then(drawCharts, drawCharts);
  }

  // Upload: progress while the file streams, then poll the batch until it is processed.
  var form = document.getElementById('upload-form');
  if (form && window.XMLHttpRequest && window.FormData) {
    var input = form.querySelector('input[type=file]');
    var drop = document.getElementById('drop');
    var bar = document.getElementById('upload-progress');
    var state = document.getElementById('upload-state');
    var msgs = JSON.parse(document.getElementById('upload-messages').textContent);
    function say(t) { state.textContent = t; }
    if (drop) {
      ['dragenter', 'dragover'].forEach(function (e) { drop.addEventListener(e, function (ev) { ev.preventDefault(); drop.classList.add('over'); }); });
      ['dragleave', 'drop'].forEach(function (e) { drop.addEventListener(e, function (ev) { ev.preventDefault(); drop.classList.remove('over'); }); });
      drop.addEventListener('drop', function (ev) { if (ev.dataTransfer && ev.dataTransfer.files.length) { input.files = ev.dataTransfer.files; say(msgs.chosen + ' ' + input.files[0].name); describe(input.files[0]); } });
    }
    // Before anything is sent: a first look at the encoding and format, from the first 64 KB.
    var preview = document.getElementById('file-preview');
    function describe(file) {
      if (!preview || !file.slice || !window.TextDecoder) return;
      file.slice(0, 65536).arrayBuffer().then(function (buf) {
        var bytes = new Uint8Array(buf), enc = 'UTF-8';
        try { new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch (e) { enc = 'Windows-874 (TIS-620)'; }
        var ascii = ''; for (var i = 0; i < Math.min(bytes.length, 400) && bytes[i] !== 10 && bytes[i] !== 13; i++) ascii += String.fromCharCode(bytes[i]);
        var fmt = /^1\d{5}/.test(ascii) ? msgs.bulk : (/[,\t;]/.test(ascii) ? msgs.report : msgs.unknown);
        // A workbook is a zip archive ("PK"): its text encoding is the archive's business, not the clerk's.
        if (bytes[0] === 0x50 && bytes[1] === 0x4b) { fmt = msgs.xlsx; enc = 'XLSX (zip)'; }
        preview.textContent = file.name + ' · ' + msgs.format + ': ' + fmt + ' · ' + msgs.encoding + ': ' + enc + ' (' + msgs.guess + ')';
      });
    }
    input.addEventListener('change', function () { if (input.files && input.files[0]) describe(input.files[0]); });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (!input.files || !input.files.length) { say(msgs.noFile); return; }
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('x-csrf-token', form.querySelector('input[name=_csrf]').value);
      bar.hidden = false; bar.value = 0; say(msgs.uploading);
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 50); };
      xhr.onload = function () {
        var body = null; try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status >= 300 || !body || !body.batchId) { say((body && body.message) || msgs.failed); bar.hidden = true; return; }
        bar.value = 50; say(body.duplicate ? msgs.duplicate : msgs.processing);
        var tries = 0;
        (function poll() {
          fetch('/batches/' + body.batchId + '/status.json', { headers: { accept: 'application/json' } }).then(function (r) { return r.json(); }).then(function (s) {
            tries++;
            if (s.status === 'published' || s.status === 'refused' || tries > 120) {
              bar.value = 100;
              location.href = '/batches/' + body.batchId + (body.duplicate ? '?duplicate=1' : '');
            } else { bar.value = Math.min(95, 50 + tries * 3); setTimeout(poll, 500); }
          }).catch(function () { setTimeout(poll, 1000); });
        })();
      };
      xhr.onerror = function () { say(msgs.failed); bar.hidden = true; };
      xhr.send(new FormData(form));
    });
  }
})();
