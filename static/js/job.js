// Background job page: ask for the job's progress every two seconds until it is done or failed.
(() => {
  const box = document.getElementById("job");
  if (!box) return;
  const part = (role) => box.querySelector(`[data-role="${role}"]`);
  const finished = (status) => status === "done" || status === "failed";
  const show = (job) => {
    const bar = part("bar");
    bar.style.width = `${job.percent}%`;
    bar.textContent = `${job.percent}%`;
    bar.classList.toggle("progress-bar-striped", job.status === "running");
    bar.classList.toggle("progress-bar-animated", job.status === "running");
    part("done").textContent = job.done;
    part("label").textContent = job.label;
    box.querySelector(".progress").setAttribute("aria-valuenow", job.done);
    for (const role of ["download", "next"]) part(role)?.classList.toggle("d-none", job.status !== "done");
    const message = part("message");
    message.textContent = job.message;
    message.classList.toggle("d-none", job.status !== "done" || !job.message);
    const failed = part("failed");
    if (job.status === "failed" && job.message) failed.textContent = job.message;
    failed.classList.toggle("d-none", job.status !== "failed");
    part("hint").hidden = finished(job.status);
  };
  const poll = () => {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((job) => {
        show(job);
        if (!finished(job.status)) setTimeout(poll, 2000);
      })
      .catch(() => setTimeout(poll, 5000));
  };
  if (!finished(box.dataset.status)) setTimeout(poll, 1000);
})();
