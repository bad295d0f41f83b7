// kickdrift console: the only script the pages load (the Content-Security-Policy allows no other
// and no inline script). Two jobs: ask before a form that changes a host is posted, and keep the
// host and hosts pages current from the server's event stream without a reload.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// The host page: on each event for this host, fetch its live fragment (HTML the server escaped)
// and put it in place of #live.
function followHost(live) {
  const host = live.getAttribute("data-host");
  const stream = new EventSource("/api/v1/events/stream?host=" + encodeURIComponent(host));
  let pending = false;
  stream.onmessage = () => {
    if (pending) {
      return;
    }
    pending = true;
    fetch("/ui/hosts/" + encodeURIComponent(host) + "/live", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        live.innerHTML = html;
        const form = document.getElementById("netboot-form");
        const netboot = document.getElementById("netboot");
        if (form && netboot) {
          // the toggle turns to the opposite of what the host has now
          const on = netboot.textContent.trim() === "on";
          form.querySelector("[name=enabled]").value = on ? "false" : "true";
          form.querySelector("button").textContent = on ? "Turn netboot off" : "Turn netboot on (reinstall)";
        }
      })
      .catch(() => {})
      .finally(() => {
        pending = false;
      });
  };
}

// The hosts page: on an event for a listed host, fetch the same page again and replace that row.
function followHosts(table) {
  const stream = new EventSource("/api/v1/events/stream");
  stream.onmessage = (message) => {
    let host;
    try {
      host = JSON.parse(message.data).host;
    } catch (e) {
      return;
    }
    const row = Array.from(table.querySelectorAll("tr[data-host]")).find(
      (r) => r.getAttribute("data-host") === host
    );
    if (!row) {
      return;
    }
    fetch(window.location.href, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        const page = new DOMParser().parseFromString(html, "text/html");
        const fresh = Array.from(page.querySelectorAll("#hosts tr[data-host]")).find(
          (r) => r.getAttribute("data-host") === host
        );
        if (fresh) {
          row.replaceWith(document.importNode(fresh, true));
        }
      })
      .catch(() => {});
  };
}

document.addEventListener("DOMContentLoaded", () => {
  const live = document.getElementById("live");
  if (live && window.EventSource) {
    followHost(live);
  }
  const hosts = document.getElementById("hosts");
  if (hosts && window.EventSource) {
    followHosts(hosts);
  }
});
