// Print job page: ask for the job's progress every two seconds until it is done or failed.
(() => {
  const box = document.getElementById("print-job");
  if (!box) return;
  const part = (role) => box.querySelector(`[data-role="${role}"]`);
  const show = (job) => {
    part("bar").style.width = `${job.percent}%`;
    part("bar").textContent = `${job.percent}%`;
    part("done").textContent = job.done;
    part("label").textContent = job.label;
    box.querySelector(".progress").setAttribute("aria-valuenow", job.done);
    part("download").classList.toggle("d-none", job.status !== "done");
    part("failed").classList.toggle("d-none", job.status !== "failed");
    part("hint").hidden = job.status === "done" || job.status === "failed";
  };
  const poll = () => {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((job) => {
        show(job);
        if (job.status !== "done" && job.status !== "failed") setTimeout(poll, 2000);
      })
      .catch(() => setTimeout(poll, 5000));
  };
  if (box.dataset.status !== "done" && box.dataset.status !== "failed") setTimeout(poll, 1000);
})();
