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

// After htmx swaps in the list's section: say what is left in the page's live region (a live
// region swapped in whole is not announced), and if the focused button went with the old
// section (a deleted item's), put the focus on the list's heading rather than lose it.
// Buttons that are still there keep it: htmx restores focus to an element with the same id.
document.addEventListener("htmx:afterSettle", () => {
  const status = document.querySelector("#id_list_status");
  const itemsLeft = document.querySelector("#id_items_left");
  if (status !== null) {
    status.textContent = itemsLeft === null ? "The list is empty." : itemsLeft.textContent.trim();
  }
  const focused = document.activeElement;
  if (focused === null || focused === document.body || !focused.isConnected) {
    document.querySelector("#id_list_name")?.focus();
  }
});

document.addEventListener("DOMContentLoaded", () => initialize("#id_text"));
