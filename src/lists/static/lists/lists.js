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

document.addEventListener("DOMContentLoaded", () => initialize("#id_text"));
