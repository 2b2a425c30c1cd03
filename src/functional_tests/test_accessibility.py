"""Every page a user meets, on a laptop and on a phone, checked by axe-core (``assert_accessible``).

To check a new page, write how a user gets to it (a function of the test, below) and add one
line to ``VISITOR_PAGES`` or ``OWNER_PAGES`` (two lists, so that a --parallel run checks them
side by side). ``FT_SCREENSHOTS=1`` saves each page at each width as
``ft-artifacts/<page>-<width>.png``, for a person to look at.
"""

from collections.abc import Callable

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from functional_tests.base import FunctionalTest
from functional_tests.list_page import ListPage
from functional_tests.my_lists_page import MyListsPage
from lists.forms import DUPLICATE_ITEM_ERROR, EMPTY_ITEM_ERROR

LAPTOP = (1280, 800)
PHONE = (375, 812)  # a small phone's screen in CSS pixels, as its browser lays pages out

ITEMS = [
    "Buy peacock feathers",
    "Use peacock feathers to make a fly",
    # What people paste into lists: a long word with nowhere to break it, which must wrap
    # rather than push the page sideways (without lists.css, some 600 px wide on a phone)
    "Read https://example.com/flies?utm_source=newsletter&utm_medium=email&utm_campaign=herl",
]


def home(test: FunctionalTest) -> None:
    test.browser.get(test.live_server_url)


def list_with_items(test: FunctionalTest) -> None:
    test.browser.get(test.live_server_url)
    for item in ITEMS:
        test.add_list_item(item)


def home_with_form_error(test: FunctionalTest) -> None:
    # Spaces get past the browser's own check of the (required) input, not past the site's
    test.browser.get(test.live_server_url)
    test.get_item_input_box().send_keys("   ", Keys.ENTER)
    test.wait_for(lambda: test.assertEqual(error_text(test), EMPTY_ITEM_ERROR))


def list_with_duplicate_item_error(test: FunctionalTest) -> None:
    list_with_items(test)
    test.get_item_input_box().send_keys(ITEMS[0], Keys.ENTER)
    test.wait_for(lambda: test.assertEqual(error_text(test), DUPLICATE_ITEM_ERROR))


def check_your_email(test: FunctionalTest) -> None:
    test.ask_for_login_link(test.email_address_for("edith"))


def login_confirmation(test: FunctionalTest) -> None:
    test.browser.get(test.ask_for_login_link(test.email_address_for("francis")))
    test.wait_for(lambda: test.browser.find_element(By.ID, "id_confirm_login"))


def my_lists(test: FunctionalTest) -> None:
    email = test.email_address_for("edith")
    test.create_pre_authenticated_session(email)
    list_with_items(test)
    MyListsPage(test).go_to_my_lists_page(email)


def shared_list_seen_by_its_owner(test: FunctionalTest) -> None:
    test.create_pre_authenticated_session(test.email_address_for("edith"))
    list_with_items(test)
    ListPage(test).share_list_with(test.email_address_for("onesiphorus"))


def own_list(test: FunctionalTest) -> ListPage:
    test.create_pre_authenticated_session(test.email_address_for("edith"))
    list_with_items(test)
    return ListPage(test)


def list_with_an_item_ticked_off(test: FunctionalTest) -> None:
    list_page = own_list(test)
    list_page.tick(ITEMS[0])
    test.wait_for(lambda: test.assertTrue(list_page.is_done(ITEMS[0])))


def editing_an_item(test: FunctionalTest) -> None:
    own_list(test).start_editing(ITEMS[0])
    test.wait_for(lambda: test.browser.find_element(By.ID, "id_edit_text"))


def renaming_a_list(test: FunctionalTest) -> None:
    own_list(test)
    test.browser.find_element(By.ID, "id_rename_list").click()
    test.wait_for(lambda: test.browser.find_element(By.ID, "id_name"))


def deleting_a_list(test: FunctionalTest) -> None:
    own_list(test)
    test.browser.find_element(By.ID, "id_delete_list").click()
    test.wait_for(lambda: test.browser.find_element(By.ID, "id_confirm_delete"))


def not_found(test: FunctionalTest) -> None:
    test.browser.get(f"{test.live_server_url}/lists/{'A' * 22}/")
    test.wait_for(lambda: test.assertIn("Not found", test.page_text()))


def form_sent_without_its_cookie(test: FunctionalTest) -> None:
    # A form kept open while the browser's cookies were cleared: Django's CSRF check refuses it
    test.browser.get(test.live_server_url)
    test.browser.delete_all_cookies()
    test.get_item_input_box().send_keys("Buy milk", Keys.ENTER)
    test.wait_for(lambda: test.assertIn("Not allowed", test.page_text()))


def error_text(test: FunctionalTest) -> str:
    return test.browser.find_element(By.CSS_SELECTOR, ".invalid-feedback").text


# Each page a user meets: its name (for failures and screenshots) and how a user gets there.
# Each is visited by a visitor with no cookies, in a laptop-sized window.
Pages = list[tuple[str, Callable[[FunctionalTest], None]]]

# What anyone meets, logged in or not.
VISITOR_PAGES: Pages = [
    ("home", home),
    ("list", list_with_items),
    ("home-form-error", home_with_form_error),
    ("list-duplicate-error", list_with_duplicate_item_error),
    ("check-your-email", check_your_email),
    ("login-confirmation", login_confirmation),
    ("not-found", not_found),
    ("forbidden", form_sent_without_its_cookie),
]

# What a logged-in owner of lists meets.
OWNER_PAGES: Pages = [
    ("my-lists", my_lists),
    ("shared-list-owner", shared_list_seen_by_its_owner),
    ("list-item-ticked-off", list_with_an_item_ticked_off),
    ("edit-item", editing_an_item),
    ("rename-list", renaming_a_list),
    ("delete-list", deleting_a_list),
]

# Elements wider than the window: what sticks out when the page scrolls sideways.
ELEMENTS_STICKING_OUT = """
return [...document.querySelectorAll("body *")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map((element) => element.outerHTML.slice(0, 120));
"""

# The navbar's items a user can see: their tops and bottoms. Collapsed items are not shown,
# and visually hidden ones (Bootstrap's 1 px box) are for screen readers only.
NAVBAR_ITEMS = """
return [...document.querySelectorAll(
    ".navbar a, .navbar button, .navbar input, .navbar label, .navbar .navbar-text")]
  .map((element) => [element, element.getBoundingClientRect()])
  .filter(([element, box]) => box.width > 1 && box.height > 1)
  .map(([element, box]) => ({text: element.textContent.trim() || element.outerHTML.slice(0, 80),
                             top: box.top, bottom: box.bottom}));
"""

# Words of the main heading that a line break cuts in two ("To-" on one line, "Do" on the next).
# What users typed (an email address, marked .text-break) may be longer than a phone is wide,
# and is let wrap anywhere.
HEADING_WORDS_CUT = """
const heading = document.querySelector("h1");
const cut = [];
const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  if (node.parentElement.closest(".text-break")) continue;
  for (const match of node.textContent.matchAll(/\\S+/g)) {
    const range = document.createRange();
    range.setStart(node, match.index);
    range.setEnd(node, match.index + match[0].length);
    const tops = new Set([...range.getClientRects()].map((box) => Math.round(box.top)));
    if (tops.size > 1) cut.push(match[0]);
  }
}
return cut;
"""


class PagesCheck(FunctionalTest):
    """Checks of pages on a laptop and on a phone, for the test classes below."""

    def check_every_page(self, pages: Pages) -> None:
        # Edith uses a screen reader on her laptop; her friend Francis uses Superlists on his
        # phone. Every page either of them meets passes axe-core's checks at both sizes
        for name, go_to_page in pages:
            with self.subTest(page=name):
                self.browser.delete_all_cookies()
                self.browser.set_window_size(*LAPTOP)
                go_to_page(self)
                self.check_page(name, LAPTOP)

                # On Francis's phone, nothing sticks out sideways, the navbar is one tidy row
                # and the heading keeps its words whole
                self.check_page(name, PHONE)
                self.assert_nothing_sticks_out(name)
                self.assert_navbar_is_one_row(name)
                self.assert_heading_keeps_its_words_whole(name)

                # He opens the navbar's menu, and all of it fits too
                self.open_the_navbar_menu()
                self.check_page(f"{name}-menu", PHONE)
                self.assert_nothing_sticks_out(f"{name}, menu open")

    def check_page(self, name: str, window_size: tuple[int, int]) -> None:
        self.browser.set_window_size(*window_size)
        width = window_size[0]
        self.assertEqual(
            self.browser.execute_script("return window.innerWidth"),
            width,
            "the browser would not lay the page out at this width (a desktop browser's window "
            "has a minimum width: run it headless)",
        )
        self.save_screenshot_if_asked(f"{name}-{width}")
        self.assert_accessible(f"({name}, {width} px wide)")

    def open_the_navbar_menu(self) -> None:
        self.browser.find_element(By.CSS_SELECTOR, ".navbar-toggler").click()
        menu = self.browser.find_element(By.CSS_SELECTOR, ".navbar-collapse")
        self.wait_for(lambda: self.assertTrue(menu.is_displayed()))

    def assert_nothing_sticks_out(self, name: str) -> None:
        scroll_width, window_width = self.browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]"
        )
        self.assertLessEqual(
            scroll_width,
            window_width,
            f"{name} scrolls sideways; sticking out: "
            f"{self.browser.execute_script(ELEMENTS_STICKING_OUT)}",
        )

    def assert_navbar_is_one_row(self, name: str) -> None:
        items = self.browser.execute_script(NAVBAR_ITEMS)
        first_row_bottom = min(item["bottom"] for item in items)
        self.assertEqual(
            [item["text"] for item in items if item["top"] >= first_row_bottom],
            [],
            f"{name}: the navbar takes more than one row: {items}",
        )

    def assert_heading_keeps_its_words_whole(self, name: str) -> None:
        self.assertEqual(
            self.browser.execute_script(HEADING_WORDS_CUT),
            [],
            f"{name}: a line break cuts words of the heading in two",
        )


class AccessibilityTest(PagesCheck):
    def test_every_page_a_visitor_meets_works_on_a_laptop_and_on_a_phone(self) -> None:
        self.check_every_page(VISITOR_PAGES)


class OwnerPagesAccessibilityTest(PagesCheck):
    def test_every_page_an_owner_meets_works_on_a_laptop_and_on_a_phone(self) -> None:
        self.check_every_page(OWNER_PAGES)


class PhoneWithoutJavaScriptTest(FunctionalTest):
    javascript = False

    def test_the_navbar_menu_and_the_buttons_work_on_a_phone_without_javascript(self) -> None:
        francis = self.email_address_for("francis")

        # Francis's phone browser has JavaScript turned off. On the home page, the navbar is
        # the site's name and a "Menu" button; the login form is tucked away
        self.browser.set_window_size(*PHONE)
        self.browser.get(self.live_server_url)
        email_input = self.browser.find_element(By.CSS_SELECTOR, "input[name=email]")
        self.assertFalse(email_input.is_displayed())

        # He taps "Menu", and there it is
        menu_button = self.browser.find_element(By.CSS_SELECTOR, ".navbar-toggler")
        self.assertEqual(menu_button.text, "Menu")
        menu_button.click()
        self.wait_for(lambda: self.assertTrue(email_input.is_displayed()))

        # He types his email address and taps "Log in"
        email_input.send_keys(francis)
        self.browser.find_element(By.XPATH, "//nav//button[normalize-space()='Log in']").click()
        self.wait_for(lambda: self.assertIn("Check your email", self.page_text()))

        # He starts a list with the "Add" button, no Enter key needed
        self.get_item_input_box().send_keys("Buy peacock feathers")
        self.browser.find_element(By.XPATH, "//main//button[normalize-space()='Add']").click()
        self.wait_for_row_in_list_table("1: Buy peacock feathers")
