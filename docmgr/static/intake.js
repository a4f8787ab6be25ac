// The progress of a file being read (page k of n): asks the intake's status every second and shows the
// confirm form (by reloading the page) as soon as the reading has ended.
(function () {
  var box = document.querySelector(".intake-progress[data-status-url]");
  if (!box || box.dataset.state !== "reading") return;
  var bar = box.querySelector("progress"), step = box.querySelector(".intake-step");
  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return setTimeout(poll, 3000);
        if (s.state !== "reading") { window.location.reload(); return; }
        var job = s.job, p = job && job.progress;
        if (job && job.state === "running" && p && p.total) {
          bar.max = p.total; bar.value = p.done; bar.classList.remove("indeterminate");
          step.textContent = "Đang đọc bằng OCR: trang " + p.done + "/" + p.total + "…";
        } else if (job && job.state === "queued") {
          step.textContent = "Đang chờ bộ xử lý nền…";
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
