// The "Print" button of a printable page (a file of its own: the pages' CSP allows no inline script).
document.querySelectorAll("button[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
