// The admin's two-box selector (groups and permissions) names its filter boxes with aria-label on
// a plain <span>, which assistive technology ignores (axe "aria-prohibited-attr"); as an image
// the name counts, and it labels the filter box it sits in.
window.addEventListener("load", function () {
  // After the selector has built itself on the same "load" event.
  window.setTimeout(function () {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }, 0);
});
