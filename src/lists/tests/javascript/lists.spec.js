// Specs of src/lists/static/lists/lists.js, as in the book (chapter 17). Each spec builds the
// bit of page it needs in a fixture of its own, which is removed after it. SpecRunner.html loads
// lists.js once, as a page does; its listeners are on `document`.
describe("lists.js", () => {
  let fixture;

  beforeEach(() => {
    fixture = document.createElement("div");
    document.body.append(fixture);
  });

  afterEach(() => {
    fixture.remove();
  });

  describe("the item input's validation error", () => {
    let textInput;
    let errorMessage;

    beforeEach(() => {
      // The form as the server renders it after an invalid item (Bootstrap shows the message
      // while the input is .is-invalid).
      fixture.innerHTML = `
        <form>
          <input id="id_text" name="text" class="form-control is-invalid">
          <div class="invalid-feedback">Error text</div>
        </form>`;
      textInput = fixture.querySelector("#id_text");
      errorMessage = fixture.querySelector(".invalid-feedback");
    });

    it("is shown until the user types", () => {
      initialize("#id_text");
      expect(errorMessage.checkVisibility()).toBe(true);
    });

    it("is hidden once the user types in the input", () => {
      initialize("#id_text");
      textInput.dispatchEvent(new InputEvent("input"));
      expect(textInput.classList).not.toContain("is-invalid");
      expect(errorMessage.checkVisibility()).toBe(false);
    });

    it("is left alone on a page without the input", () => {
      expect(() => initialize("#id_no_such_input")).not.toThrow();
      expect(errorMessage.checkVisibility()).toBe(true);
    });
  });

  describe("after htmx swaps in the list's section", () => {
    const settleSwap = () => document.dispatchEvent(new CustomEvent("htmx:afterSettle"));
    let status;
    let heading;

    beforeEach(() => {
      // list.html's section as swapped in, and the live region outside it.
      fixture.innerHTML = `
        <section id="id_list_items">
          <h2 id="id_list_name" tabindex="-1">Shopping</h2>
          <table id="id_list_table">
            <tr><td>Buy milk <button id="id_delete_item_1">Delete</button></td></tr>
            <tr><td>Buy eggs <button id="id_delete_item_2">Delete</button></td></tr>
          </table>
          <p id="id_items_left">
            2 items left
          </p>
        </section>
        <p class="visually-hidden" role="status" id="id_list_status"></p>`;
      status = fixture.querySelector("#id_list_status");
      heading = fixture.querySelector("#id_list_name");
    });

    it("announces how many items are left in the live region", () => {
      settleSwap();
      expect(status.textContent).toBe("2 items left");
    });

    it("announces an empty list when there is no count", () => {
      fixture.querySelector("#id_items_left").remove();
      settleSwap();
      expect(status.textContent).toBe("The list is empty.");
    });

    it("moves the focus to the list's name when the focused button went with the old section", () => {
      const deleteButton = fixture.querySelector("#id_delete_item_1");
      deleteButton.focus();
      deleteButton.closest("tr").remove();
      settleSwap();
      expect(document.activeElement).toBe(heading);
    });

    it("leaves the focus on a button that is still there", () => {
      const otherButton = fixture.querySelector("#id_delete_item_2");
      otherButton.focus();
      fixture.querySelector("#id_delete_item_1").closest("tr").remove();
      settleSwap();
      expect(document.activeElement).toBe(otherButton);
    });
  });
});
