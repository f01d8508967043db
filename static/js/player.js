/*
 * Seminar player: the video and its interactive transcript.
 *
 * Works on the server-rendered transcript (templates/components/transcript.html): clicking a
 * segment or chapter seeks, the segment being spoken is highlighted (aria-current) and kept in
 * view unless "Follow the video" is unticked, chapter changes are announced politely, ?t= / #t=
 * deep links start the video at that moment (older #seg-N links to a line too), the address bar
 * and the language switch follow the moment, and each segment offers a link and a citation.
 * Uploaded videos use the <video> element; YouTube and Vimeo their official iframe APIs, loaded
 * only when such an embed is on the page. Without JavaScript the timestamps are plain ?t= links.
 * All visible strings come from data- attributes rendered (and translated) by the template.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // ---------------------------------------------------------------- time helpers

  /** Seconds from "754", "754.5", "12m34s", "1h2m3s", "12:34" or "1:02:03"; null if unreadable. */
  function parseTime(value) {
    if (value === null || value === undefined) return null;
    var v = String(value).trim().toLowerCase();
    if (!v) return null;
    var m;
    if (v.indexOf(":") >= 0) {
      var parts = v.split(":");
      if (parts.length > 3 || !parts.every(function (p) { return /^\d+$/.test(p); })) return null;
      return parts.reduce(function (acc, p) { return acc * 60 + parseInt(p, 10); }, 0);
    }
    m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$/.exec(v);
    if (!m || (!m[1] && !m[2] && !m[3])) return null;
    return (parseInt(m[1] || "0", 10) * 3600) + (parseInt(m[2] || "0", 10) * 60) +
      parseFloat(m[3] || "0");
  }

  /** A moment as a ?t= value: seconds to the hundredth ("31.17", "56"), never floored to whole
   *  seconds, which would open the line before the one linked (as archive.transcript_formats). */
  function timeParam(seconds) {
    return String(Math.round(Math.max(0, seconds) * 100) / 100);
  }

  function clock(seconds) {
    var total = Math.max(0, Math.floor(seconds + 0.001));
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    var mm = (h && m < 10 ? "0" : "") + m, ss = (s < 10 ? "0" : "") + s;
    return h ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }

  function startFromLocation() {
    var params = new URLSearchParams(window.location.search);
    var t = parseTime(params.get("t"));
    if (t === null) {
      var hash = /(?:^#|&)t=([^&]+)/.exec(window.location.hash);
      if (hash) t = parseTime(decodeURIComponent(hash[1]));
    }
    return t;
  }

  /** The line of ``items`` a ``#seg-N`` fragment names (timestamp links used to carry one),
   *  or null. */
  function segmentFromLocation(items) {
    var m = /^#seg-(\d+)$/.exec(window.location.hash);
    var li = m ? document.getElementById("seg-" + m[1]) : null;
    return li && items.indexOf(li) >= 0 ? li : null;
  }

  /** Put the moment in the address bar (?t=, other parameters kept, no fragment) and in the
   *  language switch. */
  function showMoment(t) {
    var url = new URL(window.location.href);
    url.searchParams.set("t", timeParam(t));
    url.hash = "";
    window.history.replaceState(null, "", url.toString());
    languageLinksAt(t);
  }

  /** The language switch's links were written by the server with the page's address as it was
   *  opened: after a seek, "English" opened the English page at the start. */
  function languageLinksAt(t) {
    Array.prototype.forEach.call(document.querySelectorAll(".lang-switch a[href]"), function (a) {
      var link = new URL(a.getAttribute("href"), window.location.href);
      link.searchParams.set("t", timeParam(t));
      link.hash = "";
      a.setAttribute("href", link.pathname + link.search);
    });
  }

  function loadScript(src) {
    var existing = document.querySelector('script[src="' + src + '"]');
    if (existing) return;
    var script = document.createElement("script");
    script.src = src;
    script.async = true;
    document.head.appendChild(script);
  }

  // ---------------------------------------------------------------- media adapters
  // Each adapter: ready() (can it seek now?), seek(t, play), onTime(callback(seconds)).

  function fileAdapter(video) {
    return {
      ready: function () { return true; },
      seek: function (t, play) {
        var go = function () {
          video.currentTime = t;
          if (play) {
            var p = video.play();
            if (p && p.catch) p.catch(function () { /* autoplay refused: stays paused there */ });
          }
        };
        if (video.readyState >= 1) go();
        else video.addEventListener("loadedmetadata", go, { once: true });
      },
      onTime: function (cb) {
        var fire = function () { cb(video.currentTime); };
        video.addEventListener("timeupdate", fire);
        video.addEventListener("seeked", fire);
      },
    };
  }

  function youtubeAdapter(iframe) {
    var player = null, pending = null, listeners = [], timer = null;
    function poll() {
      if (!player || !player.getCurrentTime) return;
      var t = player.getCurrentTime();
      listeners.forEach(function (cb) { cb(t); });
    }
    function create() {
      player = new window.YT.Player(iframe, {
        events: {
          onReady: function () {
            if (pending) { adapter.seek(pending[0], pending[1]); pending = null; }
          },
          onStateChange: function (e) {
            clearInterval(timer);
            if (e.data === 1) timer = setInterval(poll, 250);  // playing
            poll();
          },
        },
      });
    }
    var previous = window.onYouTubeIframeAPIReady;
    window.onYouTubeIframeAPIReady = function () {
      if (typeof previous === "function") previous();
      create();
    };
    if (window.YT && window.YT.Player) create();
    else loadScript("https://www.youtube.com/iframe_api");
    var adapter = {
      ready: function () { return !!(player && player.seekTo); },
      seek: function (t, play) {
        if (!player || !player.seekTo) { pending = [t, play]; return; }
        player.seekTo(t, true);
        if (play) player.playVideo();
        poll();
      },
      onTime: function (cb) { listeners.push(cb); },
    };
    return adapter;
  }

  function vimeoAdapter(iframe) {
    var player = null, pending = null, listeners = [];
    function create() {
      player = new window.Vimeo.Player(iframe);
      player.on("timeupdate", function (d) {
        listeners.forEach(function (cb) { cb(d.seconds); });
      });
      if (pending) { adapter.seek(pending[0], pending[1]); pending = null; }
    }
    var adapter = {
      ready: function () { return !!player; },
      seek: function (t, play) {
        if (!player) { pending = [t, play]; return; }
        player.setCurrentTime(t).then(function () { if (play) return player.play(); })
          .catch(function () {});
      },
      onTime: function (cb) { listeners.push(cb); },
    };
    if (window.Vimeo && window.Vimeo.Player) create();
    else {
      loadScript("https://player.vimeo.com/api/player.js");
      var wait = setInterval(function () {
        if (window.Vimeo && window.Vimeo.Player) { clearInterval(wait); create(); }
      }, 200);
      setTimeout(function () { clearInterval(wait); }, 20000);
    }
    return adapter;
  }

  function adapterFor(root) {
    var kind = root.getAttribute("data-kind");
    var video = root.querySelector("[data-video]");
    if (kind === "file" && video) return fileAdapter(video);
    var yt = root.querySelector("iframe[data-youtube]");
    if (kind === "youtube" && yt) return youtubeAdapter(yt);
    var vimeo = root.querySelector("iframe[data-vimeo]");
    if (kind === "vimeo" && vimeo) return vimeoAdapter(vimeo);
    return null;  // other embeds / no video: the ?t= links do the work
  }

  // ---------------------------------------------------------------- transcript

  function Transcript(root, media) {
    this.root = root;
    this.media = media;
    this.section = root.querySelector("[data-transcript]");
    this.list = root.querySelector("[data-segments]");
    this.items = this.list ? Array.prototype.slice.call(this.list.children) : [];
    this.starts = this.items.map(function (li) { return parseFloat(li.getAttribute("data-start")); });
    this.ends = this.items.map(function (li) { return parseFloat(li.getAttribute("data-end")); });
    this.chapterAt = [];  // for every segment the index of the segment that starts its chapter
    var chapter = -1;
    for (var i = 0; i < this.items.length; i++) {
      if (this.items[i].querySelector(".seg__chapter")) chapter = i;
      this.chapterAt.push(chapter);
    }
    this.current = -1;
    this.currentChapter = null;
    this.live = root.querySelector("[data-live]");
    this.follow = root.querySelector("[data-autoscroll]");
    var marked = this.list ? this.list.querySelector('[aria-current="true"]') : null;
    if (marked) this.current = this.items.indexOf(marked);
  }

  Transcript.prototype.text = function (name, fallback) {
    return (this.section && this.section.getAttribute("data-i18n-" + name)) || fallback;
  };

  /** Index of the segment playing at t (the last one starting at or before t), or -1. */
  Transcript.prototype.indexAt = function (t) {
    var lo = 0, hi = this.starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (this.starts[mid] <= t + 0.05) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;  // in a gap after a segment it stays highlighted until the next one starts
  };

  Transcript.prototype.highlight = function (index, scroll) {
    if (index === this.current) return;
    if (this.current >= 0 && this.items[this.current]) {
      this.items[this.current].removeAttribute("aria-current");
      this.items[this.current].classList.remove("is-current");
    }
    this.current = index;
    if (index < 0) return;
    var li = this.items[index];
    li.setAttribute("aria-current", "true");
    li.classList.add("is-current");
    if (scroll && (!this.follow || this.follow.checked)) this.scrollTo(li);
    this.announceChapter(index);
  };

  Transcript.prototype.scrollTo = function (li) {
    if (!this.list) return;
    // Scroll the transcript list only, never the page: the reader may be elsewhere on it.
    var list = this.list;
    var target = li.offsetTop - list.clientHeight / 3;
    if (Math.abs(list.scrollTop - target) > 4) list.scrollTop = Math.max(0, target);
  };

  Transcript.prototype.announceChapter = function (index) {
    var at = this.chapterAt[index];
    if (at === undefined || at < 0) return;
    var heading = this.items[at].querySelector(".seg__chapter").textContent;
    if (heading === this.currentChapter) return;
    var first = this.currentChapter === null;
    this.currentChapter = heading;
    if (this.live && !first) {
      this.live.textContent = this.text("chapter", "Chapter: %s").replace("%s", heading);
    }
  };

  Transcript.prototype.onTime = function (t) {
    this.highlight(this.indexAt(t), true);
  };

  Transcript.prototype.seek = function (t) {
    if (!this.media) return false;
    this.media.seek(t, true);
    this.highlight(this.indexAt(t), true);
    showMoment(t);
    return true;
  };

  Transcript.prototype.momentUrl = function (t) {
    var base = (this.section && this.section.getAttribute("data-url")) ||
      window.location.origin + window.location.pathname;
    return base + "?t=" + timeParam(t);
  };

  Transcript.prototype.citation = function (t) {
    var s = this.section, get = function (n) { return (s && s.getAttribute("data-cite-" + n)) || ""; };
    var parts = [];
    if (get("speakers")) parts.push(get("speakers") + ".");
    parts.push(this.text("quoted", "“%s”").replace("%s", get("title")) + ".");
    var where = [get("series"), get("date")].filter(Boolean).join(", ");
    if (where) parts.push(where + ".");
    parts.push(this.text("at", "At %s").replace("%s", clock(t)) + ".");
    parts.push(this.momentUrl(t));
    return parts.join(" ");
  };

  // ---------------------------------------------------------------- share panel

  function copyText(field, status, ok, failed) {
    var done = function () { status.textContent = ok; };
    var fallback = function () {
      field.focus();
      field.select();
      try { status.textContent = document.execCommand("copy") ? ok : failed; }
      catch (e) { status.textContent = failed; }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  function setUpShare(tr) {
    var panel = tr.root.querySelector("[data-share-panel]");
    if (!panel) return;
    var urlField = panel.querySelector("[data-share-url]");
    var citeField = panel.querySelector("[data-share-cite]");
    var status = panel.querySelector("[data-share-status]");
    var opener = null;
    function close() {
      panel.hidden = true;
      if (opener) opener.focus();
    }
    tr.list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-share]");
      if (!button) return;
      event.stopPropagation();
      var li = button.closest("li");
      var t = parseFloat(li.getAttribute("data-start"));
      urlField.value = tr.momentUrl(t);
      citeField.value = tr.citation(t);
      status.textContent = "";
      li.appendChild(panel);
      panel.hidden = false;
      opener = button;
      urlField.focus();
      urlField.select();
    });
    panel.addEventListener("click", function (event) {
      event.stopPropagation();
      var copy = event.target.closest("[data-copy]");
      if (copy) {
        var field = copy.getAttribute("data-copy") === "url" ? urlField : citeField;
        copyText(field, status, tr.text("copied", "Copied."),
          tr.text("copy-failed", "Could not copy."));
      }
      if (event.target.closest("[data-share-close]")) close();
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
  }

  // ---------------------------------------------------------------- wiring

  function init(root) {
    var media = adapterFor(root);
    var tr = new Transcript(root, media);
    if (media) media.onTime(function (t) { tr.onTime(t); });

    var speed = root.querySelector("[data-speed]");
    var video = root.querySelector("[data-video]");
    if (speed && video) {
      speed.addEventListener("change", function () {
        video.playbackRate = parseFloat(speed.value) || 1;
      });
    }

    if (media) {
      root.addEventListener("click", function (event) {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
            event.shiftKey || event.altKey) return;
        var chapterLink = event.target.closest("[data-seek]");
        var li = event.target.closest("[data-segments] > li");
        if (event.target.closest("[data-share-panel]")) return;
        var t = null;
        if (chapterLink) t = parseFloat(chapterLink.getAttribute("data-seek"));
        else if (li) t = parseFloat(li.getAttribute("data-start"));
        if (t === null || isNaN(t)) return;
        event.preventDefault();
        if (media.ready()) tr.seek(t);
        // The embed's API did not load (blocked or offline): reload at that moment instead.
        else window.location.assign("?t=" + timeParam(t));
      });
    }
    if (tr.list) setUpShare(tr);

    var start = startFromLocation();
    // A link to a line (?t=…#seg-N, or #seg-N alone): the browser jumps to the line, which
    // scrolls the video off the screen (on a phone entirely). The player takes the moment from
    // it instead, drops the fragment and scrolls the transcript within itself.
    var named = segmentFromLocation(tr.items);
    if (start === null && named) start = parseFloat(named.getAttribute("data-start"));
    if (start === null && root.hasAttribute("data-start")) {
      start = parseFloat(root.getAttribute("data-start"));
    }
    if (start !== null && !isNaN(start)) {
      var index = tr.indexAt(start);
      tr.highlight(index, false);
      if (index >= 0) tr.scrollTo(tr.items[index]);
      root.scrollIntoView({ block: "start" });
      if (named) {
        showMoment(start);
        keepInView(root);
      } else {
        languageLinksAt(start);  // a #t= link: the server could not see the moment
      }
      if (media) media.seek(start, true);
    }
  }

  /** The browser repeats its jump to a fragment's element while the page loads (until the load
   *  event), after the player scrolled itself into view: scroll back once it has finished,
   *  unless the visitor has scrolled since. */
  function keepInView(root) {
    var moved = false;
    var mark = function () { moved = true; };
    ["wheel", "touchmove", "keydown"].forEach(function (name) {
      window.addEventListener(name, mark, { once: true, passive: true });
    });
    var again = function () {
      window.requestAnimationFrame(function () {
        if (!moved) root.scrollIntoView({ block: "start" });
      });
    };
    if (document.readyState === "complete") again();
    else window.addEventListener("load", again, { once: true });
  }

  function boot() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-player]"), init);
  }

  window.SeminarPlayer = { parseTime: parseTime, clock: clock, timeParam: timeParam };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
