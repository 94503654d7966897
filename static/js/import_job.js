// The import job page: polls the job's status.json every second and moves the progress bar; when the
// job ends, reloads the page, which then shows what was imported or the file's problems. Without
// JavaScript the page refreshes itself instead (a <meta refresh> inside <noscript>).
(function () {
  "use strict";
  var panel = document.getElementById("import-job");
  var url = panel && panel.getAttribute("data-status-url");
  if (!url) { return; }
  var bar = document.getElementById("job-progress-bar");
  var percent = document.getElementById("job-percent");
  var rows = document.getElementById("job-rows");
  var badge = document.getElementById("job-status");
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function show(job) {
    bar.value = job.progress;
    bar.textContent = percent.textContent = job.progress + "%";
    rows.textContent = numbers.format(job.rows_done);
    badge.textContent = job.status_label;
    badge.className = "badge status-" + job.status;
    panel.setAttribute("data-status", job.status);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (job) {
        show(job);
        if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });  // a hiccup of the network: try again later
  }

  window.setTimeout(poll, 1000);
})();
