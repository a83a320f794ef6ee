// Running total and class of a score sheet while typing; the server checks everything again on save.
(() => {
  const form = document.querySelector("[data-score-form]");
  if (!form) return;
  const bands = JSON.parse(form.dataset.bands);
  const totalOut = form.querySelector("[data-score-total]");
  const classOut = form.querySelector("[data-score-class]");
  const inputs = Array.from(form.querySelectorAll("input.score-input"));

  const parse = (text) => {
    const cleaned = text.trim().replace(",", ".");
    if (cleaned === "" || !/^\d+(\.\d+)?$/.test(cleaned)) return null;
    return Number(cleaned);
  };
  const valid = (value, max) => value !== null && value >= 0 && value <= max && Number.isInteger(value * 2);
  const format = (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1).replace(".", ","));

  const update = () => {
    let total = 0;
    inputs.forEach((input) => {
      const value = parse(input.value);
      const ok = input.value.trim() === "" || valid(value, Number(input.dataset.max));
      input.classList.toggle("is-invalid", !ok);
      // The reviewer sees at once where the score departs from the unit's own.
      const compare = input.dataset.compare;
      input.classList.toggle("border-warning", ok && value !== null && compare !== undefined && value !== Number(compare));
      if (ok && value !== null) total += value;
    });
    totalOut.textContent = format(total);
    const band = bands.find((b) => total >= b.from);
    classOut.textContent = band.label;
    classOut.className = `badge text-bg-${band.colour}`;
  };
  form.addEventListener("input", update);
  const copy = document.querySelector("[data-score-copy]");
  if (copy) {
    copy.addEventListener("click", () => {
      inputs.forEach((input) => {
        if (input.value.trim() === "" && input.dataset.compare) input.value = input.dataset.compare;
      });
      update();
    });
  }
  update();
})();
