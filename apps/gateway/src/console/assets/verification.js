/* global document, window, fetch, setTimeout */
// "Verify now": polls the job's JSON and updates the progress bar; without script the page refreshes itself.
'use strict';
(function () {
  var job = document.getElementById('job');
  if (!job) return;
  var url = job.getAttribute('data-poll');
  var bar = document.getElementById('job-progress');
  var text = document.getElementById('job-text');
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) {
        return r.json();
      })
      .then(function (state) {
        bar.max = Math.max(state.total, 1);
        bar.value = state.done;
        text.textContent = state.text;
        if (state.status === 'running') setTimeout(poll, 300);
        else window.location.reload();
      })
      .catch(function () {
        setTimeout(poll, 1000);
      });
  }
  if (job.getAttribute('data-status') === 'running') setTimeout(poll, 300);
})();
