// Every page. Forms here are sent by scripts as JSON: a native submission would only put
// personal data in the URL, so it is stopped even before a page's module has loaded.
document.addEventListener("submit", (event) => event.preventDefault(), true);

// The language switch keeps the fragment: a tracking link or the step of a journey.
document.getElementById("lang-switch").addEventListener("click", (event) => {
  if (location.hash) {
    event.preventDefault();
    location.href = event.currentTarget.getAttribute("href") + location.hash;
  }
});

// Pages without a module of their own are ready now; the others say so when set up.
if (!document.querySelector("script[type=module]")) document.body.dataset.ready = "true";
