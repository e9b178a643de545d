// Claim form: "Add another line" and dimming removed lines. Without JavaScript the form
// still works: it always shows a few empty lines and ignores the ones left empty.
document.addEventListener("DOMContentLoaded", function () {
  var container = document.getElementById("claim-lines");
  var template = document.getElementById("claim-line-template");
  var button = document.getElementById("add-claim-line");
  if (!container || !template || !button) { return; }
  var prefix = container.getAttribute("data-prefix");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) { return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fieldset = holder.firstElementChild;
    fieldset.querySelector("legend").textContent = "Line " + (index + 1);
    container.appendChild(fieldset);
    total.value = String(index + 1);
    var first = fieldset.querySelector("select, input, textarea");
    if (first) { first.focus(); }
  });
  container.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name && /-DELETE$/.test(box.name)) {
      box.closest("fieldset").classList.toggle("claim-line-removed", box.checked);
    }
  });
});
