// Every page: the language switcher applies on change (its button stays for no-JS use).
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.form.querySelector("button[type=submit]")?.setAttribute("hidden", "");
  select.addEventListener("change", () => select.form.submit());
}
