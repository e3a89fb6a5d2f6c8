/* The check-in desk in the browser: camera scanning, results without a reload, live counts, and an
 * offline queue. The page works without this file (plain forms); everything here is added on top.
 * Configuration comes from data-* attributes on #desk (no inline script: the CSP allows 'self' only).
 */
(function () {
  "use strict";

  var desk = document.getElementById("desk");
  if (!desk || !window.fetch || !window.JSON) { return; }
  var cfg = desk.dataset;
  var form = document.getElementById("scan-form");
  var input = document.getElementById("code");
  var resultBox = document.getElementById("result");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var listKey = "desk:" + cfg.event + ":list";
  var queueKey = "desk:" + cfg.event + ":queue";
  var GOOD = ["checked_in"];
  var cameraOn = false;

  // ---- storage: the day's list (cleared once its day is over) and the queue of unsent scans ----
  function read(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or private mode */ }
  }
  function eventToday() {
    // Today in the event's zone, as the desk's day is counted: a device whose clock is set to another zone
    // would otherwise drop the names before their day is over, or keep them after.
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-US", {timeZone: cfg.timezone, year: "numeric", month: "2-digit", day: "2-digit"})
        .formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
      return parts.year + "-" + parts.month + "-" + parts.day;
    } catch (e) {
      var d = new Date();  // no such zone in this browser: the device's own day
      return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
    }
  }
  function loadList() {
    var list = read(listKey);
    // Names are kept only while their day lasts: a list for a day that is over is dropped.
    if (list && list.day < eventToday()) { localStorage.removeItem(listKey); return null; }
    return list && list.day === cfg.day && String(list.session || "") === cfg.session ? list : null;
  }
  function queue() { return read(queueKey) || []; }
  function samePlace(item) { return item.day === cfg.day && (item.session || "") === cfg.session; }

  // A time as the rest of the desk shows it: the event's zone, 24-hour, the page's language.
  function clock(iso) {
    try {
      return new Date(iso).toLocaleTimeString(document.documentElement.lang || "en",
        {timeZone: cfg.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"}) + " (" + cfg.timezone + ")";
    } catch (e) { return iso; }
  }

  function fetchList() {
    if (!navigator.onLine) { return; }
    fetch(cfg.codesUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (list) { if (list && list.delegates) { write(listKey, list); desk.dataset.listReady = "1"; } })
      .catch(function () { /* offline: keep the list we have */ });
  }

  // ---- feedback: a large result, a tone and a buzz ----
  var audio = null;
  function tone(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = ok ? 880 : 220;
      gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + (ok ? 0.12 : 0.35));
    } catch (e) { /* no sound: the colour still tells */ }
    if (navigator.vibrate) { navigator.vibrate(ok ? 80 : [200, 100, 200]); }
  }

  function showHtml(html, result) {
    resultBox.innerHTML = html;  // rendered and escaped by the server (_result.html)
    after(result);
  }

  function showText(result, headline, detail) {
    var box = document.createElement("div");
    box.className = "result result-" + result;
    box.dataset.result = result;
    var h = document.createElement("p");
    h.className = "headline";
    h.textContent = headline;
    box.appendChild(h);
    if (detail) {
      var p = document.createElement("p");
      p.textContent = detail;
      box.appendChild(p);
    }
    resultBox.replaceChildren(box);
    after(result);
  }

  function after(result) {
    tone(GOOD.indexOf(result) >= 0 || result === "saved");
    input.value = "";
    if (!cameraOn) { input.focus(); }  // a phone's keyboard would cover the camera
  }

  // ---- scanning: one path for the scanner, the typed code and the camera ----
  function submitCode(code) {
    code = (code || "").trim();
    if (!code) { return; }
    if (!navigator.onLine) { offlineScan(code); return; }
    fetch(cfg.scanUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(cfg.session ? {code: code, day: cfg.day, session: Number(cfg.session)} : {code: code, day: cfg.day})
    }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") < 0) { throw new Error("page"); }
      return r.json();
    }).then(function (data) {
      if (data.html) {
        showHtml(data.html, data.result);
        markLocally(code, data.result);
        refreshCounts();
        sendQueue();
      } else {
        showText("unknown", "Not a badge code", "Scan the badge again, or type its code.");
      }
    }).catch(function (error) {
      if (error && error.message === "page") {
        // Signed out, or the session ended: only a reload (and signing in) helps.
        showText("unknown", "Not recorded", "The desk was signed out. Reload the page and scan again.");
      } else {
        offlineScan(code);  // the network failed on the way: keep the scan
      }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submitCode(input.value);
  });

  function markLocally(code, result) {
    var list = loadList();
    if (list && list.delegates[code] && (result === "checked_in" || result === "already")) {
      list.delegates[code][4] = true;
      write(listKey, list);
    }
  }

  // ---- offline: answer from the day's list, queue the scan, send it when the connection returns ----
  function offlineScan(code) {
    var list = loadList();
    var entry = list && list.delegates[code];
    if (list && list.revoked.indexOf(code) >= 0) {
      showText("revoked", "Revoked badge", "This badge was reported lost and replaced. Check their ID, then find their name.");
      return;
    }
    if (entry && entry[3] !== "approved") {
      showText("not_approved", "Not checked in", entry[0] + " — registration is " + entry[3] + ". Please send them to the help desk.");
      return;
    }
    var items = queue();
    var queued = items.some(function (item) { return item.code === code && samePlace(item); });
    if (entry && entry[4]) {
      showText("already", queued ? "Already scanned here" : "Already checked in",
               entry[0] + (entry[1] ? " (" + entry[1] + ")" : "") + (queued ? " — saved, not yet sent" : ""));
      return;
    }
    items.push({code: code, at: new Date().toISOString(), day: cfg.day, session: cfg.session});
    write(queueKey, items);
    if (entry) {
      entry[4] = true;
      write(listKey, list);
      showText("saved", "Saved, not yet sent", entry[0] + (entry[1] ? " (" + entry[1] + ")" : "") + " — " + entry[2]);
    } else {
      showText("saved", "Saved, not yet sent", "This code is not in the desk's list; it is checked when the connection returns.");
    }
    showQueue();
  }

  function showQueue() {
    var items = queue();
    var box = document.getElementById("queue");
    var ul = document.getElementById("queue-list");
    var list = loadList();
    ul.replaceChildren();
    items.forEach(function (item) {
      var li = document.createElement("li");
      var entry = list && list.delegates[item.code];
      li.textContent = (entry ? entry[0] : item.code) + " — " + clock(item.at);
      ul.appendChild(li);
    });
    box.hidden = items.length === 0;
    desk.dataset.queued = String(items.length);
  }

  var sending = false;
  function sendQueue() {
    var items = queue();
    if (sending || !items.length || !navigator.onLine) { return; }
    var day = items[0].day, place = items[0].session || "";
    var batch = items.filter(function (item) { return item.day === day && (item.session || "") === place; });
    sending = true;
    fetch(cfg.batchUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({day: day, session: place ? Number(place) : null,
                            scans: batch.map(function (i) { return {code: i.code, at: i.at}; })})
    }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    }).then(function (data) {
      // Drop exactly what was sent: scans made while this was on its way stay queued.
      var sent = {};
      batch.forEach(function (i) { sent[i.code + "|" + i.at] = true; });
      write(queueKey, queue().filter(function (i) { return !sent[i.code + "|" + i.at]; }));
      var fresh = data.results.filter(function (r) { return r.result === "checked_in"; }).length;
      var already = data.results.filter(function (r) { return r.result === "already"; }).length;
      var other = data.results.length - fresh - already;
      showConnection("Sent " + data.results.length + " saved check-ins: " + fresh + " checked in, " + already +
                     " already in" + (other ? ", " + other + " refused (search their names)" : "") + ".");
      showQueue();
      refreshCounts();
    }).catch(function () { /* still offline: try again later */ })
      .then(function () {
        sending = false;
        if (queue().some(function (i) { return i.day !== day || (i.session || "") !== place; })) { sendQueue(); }
      });
  }

  function showConnection(text) {
    var p = document.getElementById("connection");
    p.textContent = text;
    p.hidden = !text;
  }

  window.addEventListener("offline", function () {
    showConnection("Offline: scans are saved on this device and sent when the connection returns.");
  });
  window.addEventListener("online", function () {
    showConnection("Back online.");
    sendQueue();
    fetchList();
  });

  // ---- live counts ----
  function refreshCounts() {
    if (!navigator.onLine || document.hidden) { return; }
    fetch(cfg.countsUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (counts) {
        if (!counts) { return; }
        desk.querySelector("[data-count=checked_in]").textContent = counts.checked_in;
        desk.querySelector("[data-count=expected]").textContent = counts.expected;
        ["groups", "countries"].forEach(function (key) {
          var body = desk.querySelector("[data-tally=" + key + "] tbody");
          body.replaceChildren.apply(body, counts[key].map(function (row) {
            var tr = document.createElement("tr");
            [row[0], row[2], row[1]].forEach(function (value) {
              var td = document.createElement("td");
              td.textContent = value;
              tr.appendChild(td);
            });
            return tr;
          }));
        });
      })
      .catch(function () { /* the next poll tries again */ });
  }

  // ---- the camera: BarcodeDetector where the browser has it, else jsQR (served by the app) ----
  var video = document.getElementById("camera-video");
  var stream = null, detector = null, canvas = null, lastCode = "", lastAt = 0, timer = null;
  var cameraState = document.getElementById("camera-state");
  var toggle = document.getElementById("camera-toggle");

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(); return; }
      var script = document.createElement("script");
      script.src = cfg.jsqrUrl;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function chooseDecoder() {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") >= 0) {
          detector = new window.BarcodeDetector({formats: ["qr_code"]});
          desk.dataset.decoder = "barcode-detector";
          return;
        }
        return loadJsQR().then(function () { desk.dataset.decoder = "jsqr"; });
      });
    }
    return loadJsQR().then(function () { desk.dataset.decoder = "jsqr"; });
  }

  function decode() {
    if (video.readyState < 2) { return Promise.resolve(null); }
    if (detector) {
      return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    }
    var scale = Math.min(1, 640 / video.videoWidth);
    var w = Math.round(video.videoWidth * scale), h = Math.round(video.videoHeight * scale);
    canvas = canvas || document.createElement("canvas");
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext("2d", {willReadFrequently: true});
    ctx.drawImage(video, 0, 0, w, h);
    var found = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, {inversionAttempts: "dontInvert"});
    return Promise.resolve(found ? found.data : null);
  }

  function tick() {
    if (!cameraOn) { return; }
    decode().then(function (code) {
      // The same badge held up for a while is one scan; ready for the next badge at once.
      if (code && (code !== lastCode || Date.now() - lastAt > 4000)) {
        lastCode = code; lastAt = Date.now();
        submitCode(code);
      }
    }).catch(function () { /* a frame that could not be read */ })
      .then(function () { timer = setTimeout(tick, 150); });
  }

  function startCamera() {
    cameraState.textContent = "Starting the camera…";
    navigator.mediaDevices.getUserMedia({video: {facingMode: {ideal: "environment"}}, audio: false})
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        return video.play();
      })
      .then(chooseDecoder)
      .then(function () {
        cameraOn = true;
        document.getElementById("viewfinder").hidden = false;
        toggle.setAttribute("aria-pressed", "true");
        toggle.textContent = "Stop the camera";
        cameraState.textContent = "Hold the badge's QR code in the frame.";
        tick();
      })
      .catch(function () {
        stopCamera();
        cameraState.textContent = "The camera could not be used here. Type the code or use a scanner.";
      });
  }

  function stopCamera() {
    cameraOn = false;
    clearTimeout(timer);
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    document.getElementById("viewfinder").hidden = true;
    toggle.setAttribute("aria-pressed", "false");
    toggle.textContent = "Scan with the camera";
    cameraState.textContent = "";
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    document.getElementById("camera").hidden = false;
    toggle.addEventListener("click", function () { if (cameraOn) { stopCamera(); } else { startCamera(); } });
  }

  // ---- start ----
  if ("serviceWorker" in navigator && cfg.workerUrl) {
    navigator.serviceWorker.register(cfg.workerUrl, {scope: "/checkin/"})
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () {
        // Keep this page for a reload without a connection (the worker keeps later visits itself).
        if (navigator.onLine && window.caches && !new URLSearchParams(location.search).has("q")) {
          return caches.open("desk-v1").then(function (cache) { return cache.add(location.href); });
        }
      })
      .then(function () { desk.dataset.offlineReady = "1"; })
      .catch(function () { /* no offline page: the queue still works while the page stays open */ });
  }
  if (!navigator.onLine) {
    resultBox.replaceChildren();  // a kept copy of the page: its last result is not this scan's
  }
  fetchList();
  showQueue();
  sendQueue();
  if (!navigator.onLine) { showConnection("Offline: scans are saved on this device and sent when the connection returns."); }
  setInterval(refreshCounts, 5000);
  setInterval(sendQueue, 15000);
  setInterval(fetchList, 300000);
  setInterval(loadList, 60000);  // drops the names once their day is over, even on a desk left open
  desk.dataset.ready = "1";
}());
