// Once the user starts typing again, the validation error for the item input no longer applies.
const initialize = (inputSelector) => {
  const textInput = document.querySelector(inputSelector);
  if (textInput === null) {
    return;
  }
  textInput.addEventListener("input", () => {
    textInput.classList.remove("is-invalid");
  });
};

// htmx (on list pages) under our Content-Security-Policy: no inline <style> of its own, no eval,
// no scripts from swapped-in HTML. Set before htmx starts, on DOMContentLoaded.
if (window.htmx) {
  Object.assign(window.htmx.config, {
    includeIndicatorStyles: false,
    allowEval: false,
    allowScriptTags: false,
    scrollIntoViewOnBoost: false,
  });
}

document.addEventListener("DOMContentLoaded", () => initialize("#id_text"));
