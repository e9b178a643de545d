// Claim form, on top of a form that works without JavaScript (it shows every field and a few
// empty lines, ignores the lines left empty and the fields a line's kind does not use):
// - each line shows only the fields its kind needs, so the form is short on a phone;
// - one empty line shows at a time, and "Add another line" brings the next;
// - a line ticked "Remove this line" is dimmed.
document.addEventListener("DOMContentLoaded", function () {
  var container = document.getElementById("claim-lines");
  var template = document.getElementById("claim-line-template");
  var button = document.getElementById("add-claim-line");
  if (!container || !template || !button) { return; }
  var prefix = container.getAttribute("data-prefix");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");

  // Fields marked data-kinds show only for those kinds; a field with an error always shows, so its
  // message is seen.
  function fitToKind(line) {
    var select = line.querySelector("select[name$='-kind']");
    if (!select) { return; }
    var kind = select.value;
    line.querySelectorAll("[data-kinds]").forEach(function (input) {
      var wrapper = document.getElementById("div_" + input.id) || input.parentElement;
      var needed = input.getAttribute("data-kinds").split(" ").indexOf(kind) !== -1;
      var show = needed || input.classList.contains("is-invalid");
      wrapper.hidden = !show;
      var hints = input.getAttribute("data-kind-hints");
      var hint = document.getElementById(input.id + "_helptext");
      if (hints && hint) {
        if (!hint.hasAttribute("data-general")) { hint.setAttribute("data-general", hint.textContent); }
        hint.textContent = JSON.parse(hints)[kind] || hint.getAttribute("data-general");
      }
    });
  }

  function isEmpty(line) {
    if (line.querySelector(".is-invalid")) { return false; }
    return !Array.prototype.some.call(line.querySelectorAll("input, select, textarea"), function (field) {
      if (field.type === "hidden") { return false; }
      if (field.type === "checkbox" || field.type === "radio") { return field.checked; }
      return field.value !== "";
    });
  }

  // Every line with something in it shows, and the first empty one; the other empty lines wait.
  function fitAll() {
    var seenEmpty = false;
    container.querySelectorAll(".claim-line").forEach(function (line) {
      var empty = isEmpty(line);
      line.hidden = empty && seenEmpty;
      seenEmpty = seenEmpty || empty;
      fitToKind(line);
    });
  }

  fitAll();
  // The browser puts back what was typed (after Back, say) only after this script has run, and
  // never into a disabled box: so boxes stay enabled until the form is sent, and the lines are
  // fitted again once the page shows.
  window.addEventListener("pageshow", function () {
    container.querySelectorAll("[data-kinds]").forEach(function (input) { input.disabled = false; });
    fitAll();
  });
  // What is sent is what the page shows: not the boxes hidden for a line's kind.
  container.closest("form").addEventListener("submit", function () {
    container.querySelectorAll("[data-kinds]").forEach(function (input) {
      var wrapper = document.getElementById("div_" + input.id) || input.parentElement;
      input.disabled = wrapper.hidden;
    });
  });

  button.hidden = false;
  button.addEventListener("click", function () {
    var line = container.querySelector(".claim-line[hidden]");
    if (!line) {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) { return; }
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      line = holder.firstElementChild;
      line.querySelector("legend").textContent = "Line " + (index + 1);
      container.appendChild(line);
      total.value = String(index + 1);
    }
    line.hidden = false;
    fitToKind(line);
    var first = line.querySelector("select, input, textarea");
    if (first) { first.focus(); }
  });

  container.addEventListener("change", function (event) {
    var field = event.target;
    if (field.name && /-DELETE$/.test(field.name)) {
      field.closest("fieldset").classList.toggle("claim-line-removed", field.checked);
    }
    if (field.name && /-kind$/.test(field.name)) {
      fitToKind(field.closest(".claim-line"));
    }
  });
});
