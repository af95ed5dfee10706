#!/usr/bin/env python3
"""Real-browser tests of Recoup's web pages (headless Chromium driven by Selenium).

    python3 scripts/browser-tests.py --recoup "$(swift build --show-bin-path)/recoup" [--artifacts DIR]

Loads the demo portfolio into a throwaway SQLite database, adds an admin user, makes a debtor portal link, serves
the app on a free local port and walks through the pages: login, the debts list, a debt's page, recording a
contact (one allowed, one refused by the compliance engine) and the debtor portal (a plan, its acceptance and a
dispute). Every flow runs even when an earlier one fails; a failure leaves a screenshot, the page source and the
error in the artifacts folder, named after the flow, next to the server's log. Exit status 1 when any flow or the
setup failed, 0 otherwise.

Needs Debian's chromium, chromium-driver and python3-selenium; nothing else.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

try:
    from selenium import webdriver
    from selenium.common.exceptions import (
        NoSuchElementException,
        StaleElementReferenceException,
        TimeoutException,
        UnexpectedTagNameException,
        WebDriverException,
    )
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError as error:  # pragma: no cover - a setup problem, said plainly
    sys.exit(f"browser-tests: cannot import selenium ({error}); install python3-selenium (apt) and run with /usr/bin/python3")

REPO = Path(__file__).resolve().parent.parent

# The data the flows rely on (the demo portfolio is deterministic: seed 2026, built around TODAY).
TODAY = "2026-11-29"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "browser-test-password"
PORTAL_CLIENT = "harbor-dental"
PORTAL_DEBTOR = "HD-C1"
SEARCH_TEXT = "HD-10000"
# The debt the contact flow records on: James Tanaka (HD-C6, Chicago, phone +1 312). Not HD-C1, whose portal
# flow files a dispute (a dispute or a cease on one debtor would spoil the other flow).
CONTACT_DEBT_REF = "HD-100013"
# datetime-local values are read in the server's business zone (serve's --time-zone, UTC by default). Friday
# 2026-11-27 19:00 UTC is 13:00 in Chicago and between 08:00 and 21:00 in every US zone from Eastern to Hawaii,
# so no quiet-hours rule can refuse the first call. 10:00 UTC would be 04:00 in Chicago.
CALL_AT = "2026-11-27T19:00"
CEASE_AT = "2026-11-27T19:30"
REFUSED_CALL_AT = "2026-11-27T20:00"
OFFER_AMOUNT = "200"
OFFER_FREQUENCY = "monthly"
OFFER_FIRST_DUE = "2026-12-15"
ACCEPT_NAME = "Olivia Chen"
# A debt the client's file marks disputed (HD-C26, alone on it): held until verification is recorded from the page.
FILE_DISPUTED_REF = "HD-100069"
# A debt of a debtor nobody else's flow touches (HD-C29, Denver: 19:00 UTC is noon there), for post/redirect/get.
ONCE_DEBT_REF = "HD-100057"
# A debt the file says was paid in full (HD-C11): nothing is owed.
PAID_OFF_REF = "HD-100021"
DISPUTE_TEXT = "I already paid this in October."
# The client whose profile the client-profile flow sets on the admin page, and a debtor of it for the portal.
PROFILE_CLIENT = "citylight-utilities"
PROFILE_DEBTOR = "CL-C1"
PROFILE_NAME = "CityLight Power & Water"
PROFILE_PHONE = "512-555-0188"
PROFILE_INSTRUCTIONS = "Pay online, by phone at any time, or at any CityLight payment center."
PROFILE_LINK = "https://citylight.example/payments/onlineportal?account=yourbillingaccountnumber"
PHONE_WIDTH = 390
# A debtor of Harbor Dental with two open debts that no other flow touches (HD-C141), for the portal's plan on
# return and a dispute about one of the two.
RETURN_DEBTOR = "HD-C141"
RETURN_OFFER = "$1,5"  # nonsense: commas only between thousands
RETURN_OFFER_OK = " $150 "
RETURN_ACCEPT_NAME = "Sam Rivera"

# The debt page's actions (issue 13), on debtors of Summit Fitness and CityLight that no other flow touches, each
# alone on their debt. One-click outcomes record a call at the real "now": a New York and a Honolulu debtor, so that
# one of them is usually inside calling hours; when neither is, the flow checks the refusal instead.
QUICK_CALL_REFS = ["SF-100152", "SF-100028"]
NOTE_CALLBACK_REF = "SF-100360"
NOTE_TEXT = "Says payday is Friday; asked us to call back then."
NOTE_CALLBACK_AT = "2026-11-30T17:00"  # read in the server's zone (UTC in these tests)
PAYMENT_REF = "SF-100168"
PAYMENT_TYPED = " $25 "
PROMISE_REF = "SF-100140"
PORTAL_LINK_REF = "CL-100263"

# The work queue (issue 14): promises due today (the real today, in the server's UTC business zone) on debtors no
# other flow touches, in New York, Chicago, Anchorage and Honolulu, so that at most hours one of them may be called.
# From 07:00 to 13:00 UTC every US zone is in its quiet hours: the flow then checks the empty queue instead.
QUEUE_PROMISES = [
    ("summit-fitness", "SF-100136"), ("summit-fitness", "SF-100264"), ("summit-fitness", "SF-100056"),
    ("citylight-utilities", "CL-100191"),
]
QUEUE_NOTE = "Rang out; will try again tomorrow morning."

WAIT_SECONDS = 10
HEALTH_TIMEOUT_SECONDS = 60


class FlowFailure(AssertionError):
    """A check in a flow did not hold; the message says what was expected and what was found."""


# MARK: Setup: database, user, portal link, server


def child_env():
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # --database with SQLite, never the CI PostgreSQL
    return env


def run_recoup(recoup, args, database, stdin=None):
    command = [recoup, *args, "--database", str(database)]
    shown = " ".join(command)
    try:
        result = subprocess.run(
            command, input=stdin, capture_output=True, text=True, env=child_env(), cwd=REPO, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RuntimeError(f"`{shown}` could not run: {error}") from error
    if result.returncode != 0:
        raise RuntimeError(
            f"`{shown}` exited with status {result.returncode}\n"
            f"--- stdout\n{result.stdout.strip()}\n--- stderr\n{result.stderr.strip()}")
    return result.stdout


def portal_url_from(output):
    lines = [line for line in output.splitlines() if line.strip()]
    if not lines:
        raise RuntimeError("`recoup portal link` printed nothing; expected {\"url\": \"/portal/TOKEN\", ...}")
    try:
        url = json.loads(lines[-1])["url"]
    except (ValueError, KeyError, TypeError) as error:
        raise RuntimeError(f"`recoup portal link` printed {lines[-1]!r}; expected JSON with a \"url\" ({error})")
    if not isinstance(url, str) or not url.startswith("/"):
        raise RuntimeError(f"`recoup portal link` gave url {url!r}; expected a path like /portal/TOKEN")
    return url


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`recoup serve` on a free port, its output in LOG; stopped (its whole process group) by stop()."""

    def __init__(self, recoup, database, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.log = open(log_path, "w")
        command = [recoup, "serve", "--hostname", "127.0.0.1", "--port", str(self.port), "--database", str(database)]
        print(f"browser-tests: starting {' '.join(command)}", flush=True)
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=child_env(), cwd=REPO,
            start_new_session=True)

    def wait_healthy(self):
        deadline = time.monotonic() + HEALTH_TIMEOUT_SECONDS
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"`recoup serve` exited with status {self.process.returncode} before /health answered\n"
                    f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
                    last = f"status {response.status}"
            except urllib.error.HTTPError as error:
                last = f"status {error.code}"
            except (urllib.error.URLError, OSError) as error:
                last = str(error)
            time.sleep(0.25)
        raise RuntimeError(
            f"GET {self.base}/health did not answer 200 within {HEALTH_TIMEOUT_SECONDS} s (last: {last})\n"
            f"{self.log_tail()}")

    def log_tail(self, lines=40):
        self.log.flush()
        try:
            text = Path(self.log_path).read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "--- server log (last lines)\n" + "\n".join(text[-lines:])

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        self.log.close()


# MARK: The browser


def find_executable(name, fallback):
    found = shutil.which(name)
    if found:
        return found
    if fallback and os.access(fallback, os.X_OK):
        return fallback
    return None


def start_browser(profile_dir):
    chromium = find_executable("chromium", "/usr/bin/chromium")
    chromedriver = find_executable("chromedriver", "/usr/bin/chromedriver")
    if not chromium or not chromedriver:
        raise RuntimeError(
            f"chromium ({chromium or 'missing'}) and chromedriver ({chromedriver or 'missing'}) are both needed: "
            "apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions", f"--user-data-dir={profile_dir}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_page_load_timeout(30)
    return driver


def replaced(old_page):
    """A wait condition: the page that held `old_page` was replaced. A form's answer is a redirect, so the page is
    replaced twice in quick succession; Chromium may then answer a question about the old element with "Node with
    given id does not belong to the document" instead of calling it stale. Both mean it is gone."""
    def gone(_):
        try:
            old_page.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return gone


class Browser:
    """The driver plus the helpers flows use: every wait is explicit and fails with a sentence saying what for."""

    def __init__(self, base, profile_root):
        self.base = base
        self.profile_root = profile_root
        self.launches = 0
        self.driver = None
        self.launch()

    def launch(self):
        self.launches += 1
        self.driver = start_browser(Path(self.profile_root) / f"profile-{self.launches}")

    def alive(self):
        try:
            self.driver.current_url
            return True
        except WebDriverException:
            return False

    def relaunch_if_dead(self):
        if not self.alive():
            print("browser-tests: the browser stopped answering; starting a new one", flush=True)
            self.quit()
            self.launch()

    def quit(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            except WebDriverException:
                pass

    # Navigation and reading

    def open(self, path):
        self.driver.get(self.base + path)

    def path(self):
        return urlparse(self.driver.current_url).path

    def wait(self, condition, what, timeout=WAIT_SECONDS):
        try:
            return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
                condition)
        except TimeoutException:
            raise FlowFailure(f"timed out after {timeout} s waiting for {what} (page {self.driver.current_url})") from None

    def element(self, css, what=None):
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, css)), what or f"an element `{css}`")

    def visible(self, css, what=None):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), what or f"a visible `{css}`")

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text_of(self, css):
        """The text of every element matching `css`, joined (textContent, so hidden parts count too)."""
        return " ".join((element.get_attribute("textContent") or "").strip() for element in self.all(css))

    def wait_for_text(self, css, *needles):
        """Waits until the elements matching `css` together contain every needle (case-insensitive)."""
        wanted = [needle.lower() for needle in needles]

        def holds(_):
            text = " ".join(self.text_of(css).split())
            return text if all(needle in text.lower() for needle in wanted) else False

        try:
            return WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(StaleElementReferenceException,)).until(
                holds)
        except TimeoutException:
            found = " ".join(self.text_of(css).split()) or "(no such element, or it is empty)"
            other = "[role=status]" if css == "[role=alert]" else "[role=alert]"
            said = " ".join(self.text_of(other).split())
            extra = f"; the page's {other} says {said[:300]!r}" if said else ""
            raise FlowFailure(
                f"expected `{css}` to contain {' and '.join(repr(n) for n in needles)}; "
                f"found {found[:300]!r}{extra} (page {self.driver.current_url})") from None

    # Forms

    def fill(self, css, text):
        field = self.visible(css)
        field.clear()
        field.send_keys(text)
        return field

    def set_value(self, css, value):
        """Sets an input's value with JavaScript and fires input and change: date and datetime-local inputs take
        keyboard input in the browser's locale format, which is unreliable headless."""
        field = self.element(css)
        self.driver.execute_script(
            "const field = arguments[0];"
            "field.value = arguments[1];"
            "field.dispatchEvent(new Event('input', {bubbles: true}));"
            "field.dispatchEvent(new Event('change', {bubbles: true}));",
            field, value)
        actual = field.get_attribute("value")
        if actual != value:
            kind = field.get_attribute("type")
            raise FlowFailure(f"`{css}` (type {kind}) holds {actual!r} after setting it to {value!r}")
        return field

    def choose(self, css, value):
        field = self.element(css)
        try:
            select = Select(field)
        except UnexpectedTagNameException:
            raise FlowFailure(f"`{css}` is a <{field.tag_name}>, expected a <select>") from None
        values = [option.get_attribute("value") for option in select.options]
        if value not in values:
            raise FlowFailure(f"`{css}` has no option with value {value!r}; its options are {values}")
        select.select_by_index(values.index(value))  # by index: an <option> without a value attribute counts too
        return field

    def submit(self, form_css):
        """Clicks the form's submit button (or submits the form) and waits for the next page to load.

        Chromium sometimes answers a click on an element of a page it has just finished replacing with "Node with
        given id does not belong to the document"; the form is then looked up again and the click retried."""
        for attempt in range(3):
            self.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the page to load")
            form = self.element(form_css, f"the form `{form_css}`")
            old_page = self.driver.find_element(By.TAG_NAME, "html")
            try:
                buttons = form.find_elements(By.CSS_SELECTOR, "button[type=submit], input[type=submit], button:not([type])")
                if buttons:
                    self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", buttons[0])
                    buttons[0].click()
                else:
                    form.submit()
            except (StaleElementReferenceException, WebDriverException) as error:
                if attempt == 2 or ("does not belong to the document" not in str(error)
                                    and not isinstance(error, StaleElementReferenceException)):
                    raise
                time.sleep(0.3)
                continue
            break
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(replaced(old_page))
        except TimeoutException:
            pass  # the page may update in place (JavaScript); the flow's next wait says whether it worked
        self.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the page to load")

    def require(self, condition, message):
        if not condition:
            raise FlowFailure(f"{message} (page {self.driver.current_url})")

    # Staff session

    def sign_in(self, password=ADMIN_PASSWORD):
        self.fill("#email", ADMIN_EMAIL)
        self.fill("#password", password)
        self.submit('form[action="/login"]')

    def ensure_signed_in(self):
        """Signs in when the site sends us to /login, so each staff flow also runs after an earlier one failed."""
        self.open("/")
        if self.path() == "/login":
            self.sign_in()
            self.require(self.path() != "/login", f"signing in as {ADMIN_EMAIL} failed, so this flow cannot start")


# MARK: The flows


def flow_login(browser, context):
    browser.driver.delete_all_cookies()
    browser.open("/")
    browser.wait(lambda _: browser.path() == "/login", "`/` to redirect to /login when signed out")
    form = browser.element('form[action="/login"][method="post"]', 'the login form `form[action="/login"][method="post"]`')
    for css in ("#email", "#password", "button[type=submit]"):
        browser.require(form.find_elements(By.CSS_SELECTOR, css), f"the login form has no `{css}`")

    browser.sign_in(password="not-the-password")
    browser.wait_for_text("[role=alert]", "not right")
    browser.require(browser.path() == "/login", "a wrong password should leave us on /login")

    browser.sign_in()
    browser.wait(lambda _: browser.path() != "/login", "the right password to leave /login for the dashboard")
    browser.element("h1", "an h1 on the dashboard")
    browser.element("svg#aging-chart", "the aging chart `svg#aging-chart` on the dashboard")
    browser.require("<svg" in browser.driver.page_source, "the dashboard's source has no <svg")


def search_debts(browser, text):
    browser.open("/debts")
    browser.element("form#debt-search", "the search form `form#debt-search` on /debts")
    field = browser.fill("#q", text)
    form_buttons = browser.all("form#debt-search button[type=submit], form#debt-search input[type=submit]")
    if form_buttons:
        browser.submit("form#debt-search")
    else:
        old_page = browser.driver.find_element(By.TAG_NAME, "html")
        field.send_keys(Keys.ENTER)
        browser.wait(EC.staleness_of(old_page), "the search results after pressing Enter in #q")
    browser.element("table#debts", "the `table#debts` of search results")


def flow_debts_list(browser, context):
    browser.ensure_signed_in()
    browser.open("/debts")
    browser.element("table#debts", "the debts table `table#debts` on /debts")
    rows = browser.all("table#debts tbody tr")
    browser.require(len(rows) >= 10, f"`table#debts tbody tr`: expected at least 10 rows, found {len(rows)}")
    browser.element('nav[aria-label="Pages"]', 'the pagination `nav[aria-label="Pages"]` on the unfiltered list')
    browser.element('nav[aria-label="Pages"] a[rel=next]', 'a next-page link `a[rel=next]` inside the pagination nav')

    search_debts(browser, SEARCH_TEXT)
    rows = browser.all("table#debts tbody tr")
    browser.require(rows, f"searching for {SEARCH_TEXT!r} gave no rows in `table#debts tbody`")
    for index, row in enumerate(rows, start=1):
        cells = row.find_elements(By.CSS_SELECTOR, "td.ref")
        browser.require(cells, f"search result row {index} has no `td.ref` cell: {row.text!r}")
        browser.require(
            SEARCH_TEXT in cells[0].text, f"search result row {index}: `td.ref` is {cells[0].text!r}, expected it to contain {SEARCH_TEXT!r}")


def open_debt(browser, ref=None):
    """Opens a debt's page from the list: the first row's, or the row whose `td.ref` is `ref` (found by search)."""
    if ref is None:
        browser.open("/debts")
        browser.element("table#debts tbody tr", "a row in `table#debts` on /debts")
        row = browser.all("table#debts tbody tr")[0]
    else:
        search_debts(browser, ref)
        matches = [row for row in browser.all("table#debts tbody tr")
                   if [cell for cell in row.find_elements(By.CSS_SELECTOR, "td.ref") if cell.text.strip() == ref]]
        browser.require(matches, f"no row of `table#debts` has `td.ref` {ref!r} after searching for it")
        row = matches[0]
    ref_cells = row.find_elements(By.CSS_SELECTOR, "td.ref")
    links = row.find_elements(By.CSS_SELECTOR, "a.debt-link")
    browser.require(ref_cells, f"the row has no `td.ref` cell: {row.text!r}")
    browser.require(links, f"the row has no `a.debt-link`: {row.text!r}")
    found_ref = ref_cells[0].text.strip()
    old_page = browser.driver.find_element(By.TAG_NAME, "html")
    links[0].click()
    browser.wait(EC.staleness_of(old_page), f"the page of debt {found_ref} after clicking its `a.debt-link`")
    browser.wait_for_text("h1", found_ref)
    return found_ref


def flow_debt_page(browser, context):
    browser.ensure_signed_in()
    open_debt(browser)
    for css in ("#balance", "#ledger", "#timeline", "#can-call", "#projection", "#segment"):
        browser.element(css, f"the section `{css}` on the debt page")
    browser.wait_for_text("#can-call", "call")
    segment = browser.text_of("#segment h2").lower()
    browser.require(
        any(name in segment for name in ("hardship", "avoider", "new", "disputed", "unreachable")),
        f"the `#segment` heading names no segment: {segment!r}")
    browser.require(browser.all("#segment li"), "the `#segment` section gives no reason")


def timeline_size(browser):
    """(entries, mentions of "call") in #timeline: entries are its `li` or `tbody tr` elements."""
    entries = len(browser.all("#timeline li, #timeline tbody tr"))
    return entries, browser.text_of("#timeline").lower().count("call")


def record_contact(browser, contact_type, at, outcome=None):
    def fill():
        browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the page to load")
        browser.element("form#record-contact", "the contact form `form#record-contact` on the debt page")
        browser.choose("select#contact-type", contact_type)
        directions = browser.all("form#record-contact select[name=direction]")
        if directions and directions[0].is_enabled():
            browser.choose("form#record-contact select[name=direction]", "outbound")
        if outcome is not None:
            browser.choose("select#outcome", outcome)
        browser.set_value("input#contact-at", at)
        browser.require(
            browser.element("input#contact-at").get_attribute("type") == "datetime-local",
            "`input#contact-at` should be type datetime-local")
        browser.element("input#contact-to", "the `input#contact-to` field")

    # Filling the form changes nothing on the server, so it is simply done again when Chromium reports that an element
    # belonged to the page it had just replaced.
    for attempt in range(3):
        try:
            fill()
            break
        except (StaleElementReferenceException, WebDriverException) as error:
            detached = isinstance(error, StaleElementReferenceException) or "does not belong to the document" in str(error)
            if attempt == 2 or not detached or isinstance(error, TimeoutException):
                raise
            time.sleep(0.3)
    browser.submit("form#record-contact")


def flow_record_contact(browser, context):
    browser.ensure_signed_in()
    open_debt(browser, CONTACT_DEBT_REF)
    contact_types = [option.get_attribute("value") for option in Select(browser.element("select#contact-type")).options]
    for wanted in ("call", "sms", "email", "letter", "cease"):
        browser.require(wanted in contact_types, f"`select#contact-type` has no option {wanted!r}; it has {contact_types}")
    outcomes = [option.get_attribute("value") for option in Select(browser.element("select#outcome")).options]
    for wanted in ("no_answer", "voicemail", "conversation"):
        browser.require(wanted in outcomes, f"`select#outcome` has no option {wanted!r}; it has {outcomes}")

    before = timeline_size(browser)
    record_contact(browser, "call", CALL_AT, outcome="no_answer")
    browser.wait_for_text("[role=status]", "Recorded")
    after_call = timeline_size(browser)
    if before[0] or after_call[0]:
        browser.require(
            after_call[0] > before[0], f"#timeline had {before[0]} entries before the call and {after_call[0]} after")

    record_contact(browser, "cease", CEASE_AT)
    browser.wait_for_text("[role=status]", "Recorded")
    after_cease = timeline_size(browser)

    record_contact(browser, "call", REFUSED_CALL_AT, outcome="no_answer")
    browser.wait_for_text("[role=alert]", "Refused", "cease")
    after_refusal = timeline_size(browser)
    browser.require(
        after_refusal[0] <= after_cease[0] and after_refusal[1] <= after_cease[1],
        f"the refused call reached the timeline: (entries, mentions of 'call') went from {after_cease} to {after_refusal}")


def flow_portal(browser, context):
    if context.get("portal_error"):
        raise FlowFailure(f"no portal link: {context['portal_error']}")
    browser.driver.delete_all_cookies()  # the debtor is not signed in
    browser.open(context["portal_url"])
    browser.require(browser.path() != "/login", f"the portal link {context['portal_url']} redirected to /login")
    browser.element("#who", "`#who` (who is collecting, and for whom)")
    browser.require(browser.text_of("#who").strip(), "`#who` (who is collecting, and for whom) is empty")
    browser.wait_for_text("#amount-owed", "$")
    browser.element("table#itemization", "the itemization table `table#itemization`")

    browser.element("form#propose", "the plan form `form#propose`")
    browser.fill("#offer-amount", OFFER_AMOUNT)
    browser.choose("select#offer-frequency", OFFER_FREQUENCY)
    browser.set_value("#offer-first-due", OFFER_FIRST_DUE)
    browser.submit("form#propose")
    browser.element("#options", "the plan options `#options` after proposing a plan")
    option_items = browser.all("#options li, #options tbody tr, #options .option")
    browser.require(
        option_items or browser.text_of("#options").strip(), "`#options` shows no option (no li, tbody tr or .option)")
    browser.element("#agreement", "the agreement text `#agreement`")
    browser.require(browser.text_of("#agreement").strip(), "`#agreement` is empty")

    browser.element("form#accept", "the acceptance form `form#accept`")
    agree = browser.visible("#agree", "the checkbox `#agree`")
    if not agree.is_selected():
        agree.click()
    browser.require(agree.is_selected(), "`#agree` did not tick")
    browser.fill("#accept-name", ACCEPT_NAME)
    browser.submit("form#accept")
    browser.wait_for_text("[role=status]", "accepted")

    browser.element("form#dispute", "the dispute form `form#dispute`")
    browser.fill("textarea#dispute-text", DISPUTE_TEXT)
    browser.submit("form#dispute")
    browser.wait_for_text("[role=status]", "dispute")


def open_return_portal(browser, context):
    if context.get("return_portal_error"):
        raise FlowFailure(f"no portal link for {RETURN_DEBTOR}: {context['return_portal_error']}")
    browser.driver.delete_all_cookies()  # the debtor is not signed in
    browser.open(context["return_portal_url"])
    browser.wait_for_text("#amount-owed", "$")


def flow_portal_plan_on_return(browser, context):
    """The portal's plan: an amount typed wrongly is one sentence next to the form, with what was typed; "$150"
    with spaces is read; proposing and accepting each answer with a redirect to the plan (#plan), the message next
    to it; a reload records nothing and shows the accepted plan with its schedule and next installment, and no
    accept form; so does opening the link again later. Screenshots at 1366 and 390 px."""
    open_return_portal(browser, context)
    browser.fill("#offer-amount", RETURN_OFFER)
    browser.set_value("#offer-first-due", OFFER_FIRST_DUE)
    browser.submit("form#propose")
    browser.wait_for_text("#plan-message[role=alert]", "commas")
    value = browser.element("#offer-amount", "the plan's amount").get_attribute("value")
    browser.require(value == RETURN_OFFER, f"the amount typed was not kept: {value!r}")

    browser.fill("#offer-amount", RETURN_OFFER_OK)
    browser.set_value("#offer-first-due", OFFER_FIRST_DUE)
    browser.submit("form#propose")
    browser.wait_for_text("#plan-message[role=status]", "")
    parsed = urlparse(browser.driver.current_url)
    browser.require(parsed.fragment == "plan", f"after proposing the address is {browser.driver.current_url}, not #plan")
    browser.element("#plan #agreement", "the agreement next to the plan's message")
    browser.require("$150.00" in browser.text_of("#plan"), "the plan does not read the offer \" $150 \" as $150.00")

    agree = browser.visible("#agree", "the checkbox `#agree`")
    if not agree.is_selected():
        agree.click()
    browser.fill("#accept-name", RETURN_ACCEPT_NAME)
    browser.submit("form#accept")
    browser.wait_for_text("#plan-message[role=status]", "accepted")
    browser.require(urlparse(browser.driver.current_url).fragment == "plan", "after accepting the address is not #plan")
    plans = len(browser.all("#plan article.arrangement"))

    browser.driver.refresh()  # a GET after the 303: nothing is sent again
    browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the reload")
    browser.require(not browser.all("#plan-message"), "the message is shown again after a reload")
    browser.require(len(browser.all("#plan article.arrangement")) == plans, "a reload changed the plans shown")
    browser.require(not browser.all("form#accept"), "the accepted plan still offers its accept form")
    browser.wait_for_text("#plan .next-installment", "Next:", "$150.00")
    browser.wait_for_text("#plan .state", "active", RETURN_ACCEPT_NAME)
    browser.require(browser.all("#plan table.schedule tbody tr"), "the accepted plan shows no schedule")
    screenshot(browser, "portal-accepted-1366")

    open_return_portal(browser, context)  # coming back later
    browser.wait_for_text("#plan .next-installment", "Next:")

    def phone():
        browser.open(context["return_portal_url"])
        browser.wait_for_text("#plan .next-installment", "Next:")
        scroll, inner = browser.driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        browser.require(not browser.all("form#propose"), "the portal offers a new plan while one is active")
        browser.driver.execute_script("document.getElementById('plan').scrollIntoView()")
        wide = browser.driver.execute_script(
            "return Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > "
            "window.innerWidth + 1).slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);")
        screenshot(browser, "portal-accepted-390")
        browser.require(scroll <= inner, f"the portal is wider than the phone: {scroll} > {inner}: {wide}")

    at_phone_width(browser, phone)


def flow_portal_dispute_one(browser, context):
    """A dispute about one of the debtor's two debts: unticking one, the dispute names only the other, and is
    listed with it when the debtor comes back; ticking none is refused with one sentence."""
    open_return_portal(browser, context)
    boxes = browser.all('form#dispute input[name="debts[]"]')
    browser.require(len(boxes) >= 2, f"the dispute form lists {len(boxes)} debts, expected 2")
    browser.require(all(box.is_selected() for box in boxes), "the dispute form's debts are not all ticked at first")
    refs = [box.get_attribute("value") for box in boxes]
    for box in boxes:
        box.click()
    browser.fill("textarea#dispute-text", DISPUTE_TEXT)
    browser.submit("form#dispute")
    browser.wait_for_text("#dispute-message[role=alert]", "at least one")
    for box in browser.all('form#dispute input[name="debts[]"]'):
        if box.is_selected() != (box.get_attribute("value") == refs[1]):
            box.click()
    browser.fill("textarea#dispute-text", DISPUTE_TEXT)
    browser.submit("form#dispute")
    browser.wait_for_text("#dispute-message[role=status]", refs[1])
    browser.require(refs[0] not in browser.text_of("#dispute-message"), f"the dispute names {refs[0]}, not ticked")
    browser.require(urlparse(browser.driver.current_url).fragment == "disputes", "after disputing the address is not #disputes")
    open_return_portal(browser, context)
    listed = browser.text_of("#dispute-list")
    browser.require(refs[1] in listed and refs[0] not in listed, f"the disputes listed on return: {listed!r}")


def debt_page_path(browser):
    path = browser.path()
    browser.require(path.startswith("/debts/") and path.count("/") == 2, f"expected to be on a debt's page, not {path}")
    return path


def finding_rules(browser):
    """The rule ids the "Can we call now?" answer lists (`#can-call code`)."""
    return [(element.get_attribute("textContent") or "").strip() for element in browser.all("#can-call code")]


def flow_file_disputed(browser, context):
    """A debt the client's file marks disputed is not callable and shows the hold; recording that verification was
    sent (the hold's release button) lifts it: the hold is listed as released, by whom and when, and the dispute no
    longer blocks a call (what still may is the time of day)."""
    browser.ensure_signed_in()
    open_debt(browser, FILE_DISPUTED_REF)
    browser.wait_for_text("#can-call .verdict-sentence", "No")
    browser.require("dispute" in finding_rules(browser), f"`#can-call` names no `dispute` rule: {finding_rules(browser)}")
    browser.wait_for_text("#holds", "Dispute", "client's file")
    browser.wait_for_text("#segment h2", "disputed")
    browser.element("form#release-dispute", "the release button `form#release-dispute` of the dispute hold")

    browser.submit("form#release-dispute")
    browser.wait_for_text("[role=status]", "verification sent", "released")
    debt_page_path(browser)
    browser.require(not browser.all("form#release-dispute"), "the dispute hold still offers its release after it")
    browser.wait_for_text("#holds", "Released", "verification sent", ADMIN_EMAIL)
    browser.require(
        "dispute" not in finding_rules(browser), f"`#can-call` still names `dispute` after verification: {finding_rules(browser)}")
    sentence = browser.text_of("#can-call .verdict-sentence")
    if not sentence.startswith("Yes"):
        # The real clock decides the time of day: only rules that a later time lifts may still say no.
        rules = set(finding_rules(browser))
        browser.require(
            rules <= {"quiet-hours", "inconvenient-time"} and browser.all("#can-call time"),
            f"after verification the call is still refused by {sorted(rules)}: {sentence!r}")
    segment = browser.text_of("#segment h2").lower()
    browser.require("disputed" not in segment, f"the segment is still {segment!r} after verification")


def form_fields(browser, form_css):
    """The form's action and its fields' names and values, as the browser would send them."""
    return browser.driver.execute_script(
        "const form = document.querySelector(arguments[0]);"
        "return [form.getAttribute('action'), Array.from(new FormData(form).entries())];", form_css)


def post_again(browser, action, fields):
    """Sends `fields` to `action` once more from the current page, as the browser does when the same form is sent
    again (back, then send; a double click), and waits for the answer to load."""
    old_page = browser.driver.find_element(By.TAG_NAME, "html")
    browser.driver.execute_script(
        "const form = document.createElement('form'); form.method = 'post'; form.action = arguments[0];"
        "for (const [name, value] of arguments[1]) {"
        "  const input = document.createElement('input'); input.type = 'hidden'; input.name = name;"
        "  input.value = value; form.appendChild(input); }"
        "document.body.appendChild(form); form.submit();", action, fields)
    browser.wait(replaced(old_page), "the answer to the form sent again")
    browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the page to load")


def calls_in_timeline(browser):
    return sum(1 for item in browser.all("#timeline li")
               if " call " in " " + " ".join((item.get_attribute("textContent") or "").split()) + " ")


def flow_post_redirect_get(browser, context):
    """Recording a contact answers with a redirect to the page: a reload is a GET and records nothing; the same form
    sent again (history back, then send) is recognised by its one-time id and records nothing either."""
    browser.ensure_signed_in()
    open_debt(browser, ONCE_DEBT_REF)
    page = debt_page_path(browser)
    before = calls_in_timeline(browser)
    browser.set_value("input#contact-at", CALL_AT)
    action, fields = form_fields(browser, "form#record-contact")
    browser.require(
        any(name == "submission" and value for name, value in fields), "`form#record-contact` carries no one-time id")
    record_contact(browser, "call", CALL_AT, outcome="no_answer")
    browser.wait_for_text("[role=status]", "Recorded: call")
    browser.require(browser.path() == page, f"after recording, the browser is on {browser.path()}, not the page {page}")
    browser.require(calls_in_timeline(browser) == before + 1, f"#timeline shows {calls_in_timeline(browser)} calls, expected {before + 1}")
    _, sent = form_fields(browser, "form#record-contact")
    sent_id = [value for name, value in sent if name == "submission"]
    used_id = [value for name, value in fields if name == "submission"]
    browser.require(sent_id != used_id, "the page after recording offers the same one-time id again")

    browser.driver.refresh()  # a GET after the 303: nothing is sent again
    browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the reload")
    browser.require(calls_in_timeline(browser) == before + 1, f"after a reload #timeline shows {calls_in_timeline(browser)} calls")
    browser.require(not browser.all("[role=status]"), "the message of the recording is shown again after a reload")

    browser.driver.back()
    browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "history back")
    # The form as it was first sent, the same one-time id included (the id record_contact's choices leave as it was).
    fields = [(name, value) for name, value in fields if name not in ("type", "direction", "outcome", "at")]
    fields += [("type", "call"), ("direction", "outbound"), ("outcome", "no_answer"), ("at", CALL_AT)]
    post_again(browser, action, fields)
    browser.wait_for_text("[role=status]", "already sent", "once")
    browser.require(browser.path() == page, f"the form sent again led to {browser.path()}, not the page {page}")
    browser.require(calls_in_timeline(browser) == before + 1, f"the form sent again added a call: {calls_in_timeline(browser)} calls")


def flow_paid_off(browser, context):
    """A debt with nothing owed is not called for collection, and its segment reads the ledger."""
    browser.ensure_signed_in()
    open_debt(browser, PAID_OFF_REF)
    browser.wait_for_text("#can-call .verdict-sentence", "No", "Nothing is owed")
    browser.wait_for_text("#segment", "paid in full")
    reasons = browser.text_of("#segment li").lower()
    browser.require("no promise, plan or payment yet" not in reasons, f"the paid-off debt's reasons say {reasons!r}")


def page_width(browser, css="html"):
    """How wide the element's content is (scrollWidth) and how wide it is shown (clientWidth), in CSS pixels."""
    return browser.driver.execute_script(
        "const element = document.querySelector(arguments[0]);"
        "return element ? [element.scrollWidth, element.clientWidth] : [0, 0];", css)


def at_phone_width(browser, check):
    """Runs `check` with the window PHONE_WIDTH pixels wide, then puts the width back."""
    size = browser.driver.get_window_size()
    browser.driver.set_window_size(PHONE_WIDTH, 900)
    try:
        browser.wait(lambda driver: driver.execute_script("return window.innerWidth") <= PHONE_WIDTH,
                     f"the window to be {PHONE_WIDTH} px wide")
        check()
    finally:
        browser.driver.set_window_size(size["width"], size["height"])


def flow_client_profile(browser, context):
    """An admin sets a client's name and how to pay on the client's admin page (post, then redirect back with the
    result); bad input is the page again naming the field; the debtor's portal then names the client and shows how
    to pay, and never its reference. Both pages fit a phone's width."""
    if context.get("profile_portal_error"):
        raise FlowFailure(f"no portal link for {PROFILE_CLIENT}: {context['profile_portal_error']}")
    browser.ensure_signed_in()
    browser.open("/admin/clients")
    links = [link for link in browser.all("table#clients a.client-link")
             if link.get_attribute("href").endswith("/admin/clients/" + PROFILE_CLIENT)]
    browser.require(links, f"`table#clients` has no `a.client-link` to {PROFILE_CLIENT}'s page")
    old_page = browser.driver.find_element(By.TAG_NAME, "html")
    links[0].click()
    browser.wait(EC.staleness_of(old_page), f"the page of client {PROFILE_CLIENT}")
    page = "/admin/clients/" + PROFILE_CLIENT
    browser.require(browser.path() == page, f"the client's link led to {browser.path()}, not {page}")
    browser.element("form#client-profile", "the profile form `form#client-profile`")
    for field in ("name", "phone", "email", "website", "address", "instructions", "link"):
        label = browser.all(f'label[for="profile-{field}"]')
        browser.require(label and label[0].text.strip(), f"the field `#profile-{field}` has no label")

    browser.fill("#profile-name", PROFILE_NAME)
    browser.fill("#profile-phone", PROFILE_PHONE)
    browser.fill("#profile-instructions", PROFILE_INSTRUCTIONS)
    browser.fill("#profile-link", PROFILE_LINK)
    browser.submit("form#client-profile")
    browser.wait_for_text("[role=status]", "Saved the profile of", PROFILE_NAME)
    browser.require(browser.path() == page, f"after saving, the browser is on {browser.path()}, not {page}")
    browser.wait_for_text("h1", PROFILE_NAME)
    browser.require(
        browser.element("#profile-phone").get_attribute("value") == "(512) 555-0188",
        f"`#profile-phone` holds {browser.element('#profile-phone').get_attribute('value')!r} after saving")
    browser.driver.refresh()  # a GET after the 303: the message is not shown again
    browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the reload")
    browser.require(not browser.all("[role=status]"), "the saved message is shown again after a reload")

    browser.fill("#profile-phone", "555-01")
    browser.submit("form#client-profile")
    browser.wait_for_text("[role=alert]", "The phone", "555-01", "Nothing was saved")
    browser.require(
        browser.element("#profile-phone").get_attribute("aria-invalid") == "true", "`#profile-phone` is not marked invalid")
    browser.element("form#client-profile", "the profile form shown again with the refusal (an HTML page, not JSON)")

    def admin_fits():
        width, shown = page_width(browser)
        browser.require(width <= shown, f"the client's page is {width} px wide in a {shown} px window")
        label = browser.element('label[for="profile-name"]').rect
        field = browser.element("#profile-name").rect
        browser.require(
            0 <= field["y"] - (label["y"] + label["height"]) < 40 and field["x"] + field["width"] <= shown,
            f"at {PHONE_WIDTH} px the name's label ({label}) is not just above its field ({field})")
    at_phone_width(browser, admin_fits)

    browser.driver.delete_all_cookies()  # the debtor is not signed in
    browser.open(context["profile_portal_url"])
    browser.wait_for_text("#who", PROFILE_NAME)
    browser.wait_for_text("#how-to-pay", "How to pay", PROFILE_INSTRUCTIONS, "(512) 555-0188")
    link = browser.element("#how-to-pay a#pay-link", "the payment link `#how-to-pay a#pay-link`")
    browser.require(link.get_attribute("href") == PROFILE_LINK, f"the payment link goes to {link.get_attribute('href')!r}")
    browser.require(PROFILE_CLIENT not in browser.driver.page_source, f"the portal shows the reference {PROFILE_CLIENT!r}")
    browser.require(PROFILE_NAME in browser.driver.title, f"the portal's title is {browser.driver.title!r}")

    def portal_fits():
        width, shown = page_width(browser, "#how-to-pay")
        browser.require(width <= shown, f"`#how-to-pay` is {width} px wide in {shown} px")
    at_phone_width(browser, portal_fits)


# The lists, navigation and phone widths (issue 13).

SCREENSHOTS = Path(os.environ.get("RECOUP_BROWSER_SCREENSHOTS", "")) if os.environ.get("RECOUP_BROWSER_SCREENSHOTS") else None
STAFF_PAGES = ["/", "/debts", "/queue", "/reports", "/admin/clients", "/admin/users", "/debts/999999999"]


def money_value(text):
    """The amount in a balance cell as a number of cents ("$1,250.00" is 125000)."""
    digits = "".join(ch for ch in text if ch.isdigit() or ch in ".-")
    return round(float(digits) * 100) if digits not in ("", ".", "-") else 0


def list_refs(browser):
    return [cell.text.strip() for cell in browser.all("table#debts tbody td.ref")]


def flow_debts_sorted(browser, context):
    """Sorting by balance, largest first, lists the balances in that order, across a page break too; totals show."""
    browser.ensure_signed_in()
    browser.open("/debts")
    browser.choose("#sort", "balance")
    browser.choose("#dir", "desc")
    browser.submit("form#debt-search")
    browser.element("table#debts tbody tr", "rows in `table#debts` sorted by balance")
    balances = [money_value(cell.text) for cell in browser.all("table#debts tbody td.balance")]
    browser.require(len(balances) >= 10, f"expected a page of balances, found {len(balances)}")
    browser.require(balances == sorted(balances, reverse=True), f"balances are not largest first: {balances}")
    browser.wait_for_text("#totals", "debts", "$")
    browser.wait_for_text("caption", "balance, highest first")
    last = balances[-1]
    browser.element('a[rel=next]', "a next-page link on the sorted list").click()
    browser.wait(lambda driver: "cursor=" in driver.current_url, "the next page of the sorted list")
    more = [money_value(cell.text) for cell in browser.all("table#debts tbody td.balance")]
    browser.require(more and more[0] <= last and more == sorted(more, reverse=True),
                    f"the second page's balances {more[:5]}… do not follow {last}")


def flow_debts_previous_page(browser, context):
    """Next, then previous, is the first page again (the same debts in the same order)."""
    browser.ensure_signed_in()
    browser.open("/debts?sort=days&dir=desc")
    first = list_refs(browser)
    browser.require(first, "the list sorted by days past due has no rows")
    browser.require(not browser.all('a[rel=prev]'), "the first page has a previous-page link")
    browser.element('a[rel=next]', "a next-page link").click()
    browser.wait(lambda driver: "cursor=" in driver.current_url, "the second page")
    second = list_refs(browser)
    browser.require(second and second != first, "the second page repeats the first")
    browser.element('a[rel=prev]', "a previous-page link on the second page").click()
    browser.wait(lambda driver: "before=" in driver.current_url, "the previous page")
    browser.require(list_refs(browser) == first, f"previous gave {list_refs(browser)[:3]}…, not the first page {first[:3]}…")
    browser.require(not browser.all('a[rel=prev]'), "the first page, reached by previous, still has a previous-page link")
    browser.wait_for_text("table#debts", "days past due")
    dues = [e.text for e in browser.all("table#debts .due")]
    browser.require(all(not d.startswith("-") for d in dues), f"a due phrase is negative: {dues}")


def flow_debtor_link(browser, context):
    """A debtor's name in the list leads to the list of that debtor's debts."""
    browser.ensure_signed_in()
    browser.open("/debts")
    link = browser.element("table#debts a.debtor-link", "a debtor link in the list")
    name = link.text.strip()
    link.click()
    browser.wait(lambda driver: "debtor=" in driver.current_url, "the list filtered by the debtor")
    names = [e.text.strip() for e in browser.all("table#debts a.debtor-link")]
    browser.require(names and all(n == name for n in names), f"the debtor's list shows {names}, expected only {name!r}")


def flow_navigation(browser, context):
    """Every staff page marks the current nav item, and an admin finds Clients and Users from the debts list."""
    browser.ensure_signed_in()
    for path, label in [("/", "Dashboard"), ("/debts", "Debts"), ("/reports", "Reports"),
                        ("/admin/clients", "Clients"), ("/admin/users", "Users")]:
        browser.open(path)
        current = browser.all('header nav a[aria-current="page"]')
        browser.require(len(current) == 1 and current[0].text.strip() == label,
                        f"{path}: the current nav item is {[c.text for c in current]}, expected {label!r}")
    browser.open("/debts")
    for href in ("/admin/clients", "/admin/users"):
        browser.require(browser.all(f'header nav a[href="{href}"]'), f"the debts page's header has no link to {href}")


def screenshot(browser, name):
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def flow_phone_widths(browser, context):
    """At 390 px no staff page (nor the sign-in page) is wider than the window."""
    browser.ensure_signed_in()
    for path in ("/debts", "/"):
        browser.open(path)
        screenshot(browser, ("debts" if path == "/debts" else "dashboard") + "-1366")
    browser.open("/debts")
    refs = list_refs(browser)
    wide = []

    def check():
        pages = STAFF_PAGES + ([f"/debts?q={refs[0]}"] if refs else [])
        browser.open("/debts")
        link = browser.element("table#debts a.debt-link", "a debt link")
        pages.append(urlparse(link.get_attribute("href")).path)
        for path in pages:
            browser.open(path)
            browser.element("main", f"the main part of {path}")
            scroll, inner = browser.driver.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                wide.append(f"{path}: {scroll} > {inner}")
            if path in ("/debts", "/"):
                screenshot(browser, ("debts" if path == "/debts" else "dashboard") + "-390")
        browser.driver.delete_all_cookies()
        browser.open("/login")
        browser.element("#email", "the sign-in form")
        scroll, inner = browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide.append(f"/login: {scroll} > {inner}")

    at_phone_width(browser, check)
    browser.require(not wide, "pages wider than the phone: " + "; ".join(wide))


# The users page's controls (issue 13): disable, enable and reset a password.

STAFF_EMAIL = "casey@agency.example"
STAFF_PASSWORD = "first-staff-password"
STAFF_NEW_PASSWORD = "second-staff-password"


def user_row(browser, email):
    """The css of the users table's row of `email` (`#user-ID`)."""
    for row in browser.all("table#users tbody tr"):
        cells = row.find_elements(By.CSS_SELECTOR, 'td[data-label="Email"]')
        if cells and (cells[0].get_attribute("textContent") or "").strip() == email:
            return "#" + row.get_attribute("id")
    raise FlowFailure(f"`table#users` has no row for {email} (page {browser.driver.current_url})")


def sign_in_as(browser, email, password):
    browser.driver.delete_all_cookies()
    browser.open("/login")
    browser.fill("#email", email)
    browser.fill("#password", password)
    browser.submit('form[action="/login"]')


def add_user(browser):
    """Add a user posts, then redirects to the new user's row: someone already there is refused next to the form
    with what was typed kept (not the password); a reload adds no one and says nothing again; the same form sent
    again adds no one and says so."""
    browser.fill("#user-email", ADMIN_EMAIL)
    browser.choose("#user-role", "manager")
    browser.fill("#user-password", STAFF_PASSWORD)
    browser.submit("form#add-user")
    browser.wait_for_text("#add-user-error", "already a user", ADMIN_EMAIL)
    browser.require(browser.path() == "/admin/users", f"a refused Add user is on {browser.path()}")
    browser.require(browser.element("#user-email").get_attribute("value") == ADMIN_EMAIL, "the email typed is lost")
    browser.require(Select(browser.element("#user-role")).first_selected_option.get_attribute("value") == "manager",
                    "the role chosen is lost")
    browser.require(browser.element("#user-password").get_attribute("value") == "", "the password was sent back")
    browser.driver.execute_script("document.querySelector('#add-user-h').scrollIntoView()")
    screenshot(browser, "add-user-refused-1366")

    def fits():  # the same page, narrowed: nothing is sent again
        browser.driver.execute_script("document.querySelector('#add-user-h').scrollIntoView()")
        width, shown = page_width(browser)
        browser.require(width <= shown, f"the refused Add user page is {width} px wide in a {shown} px window")
        screenshot(browser, "add-user-refused-390")
    at_phone_width(browser, fits)
    browser.fill("#user-email", STAFF_EMAIL)
    browser.choose("#user-role", "collector")
    browser.fill("#user-password", STAFF_PASSWORD)
    action, fields = form_fields(browser, "form#add-user")
    browser.require(
        any(name == "submission" and value for name, value in fields), "`form#add-user` carries no one-time id")
    browser.submit("form#add-user")
    row = user_row(browser, STAFF_EMAIL)
    browser.wait_for_text(f"{row} [role=status]", "Added", STAFF_EMAIL)
    browser.require(browser.path() == "/admin/users", f"after Add user the browser is on {browser.path()}")
    browser.require(browser.driver.current_url.endswith(row), f"Add user did not lead to the new row {row}")
    browser.require(not browser.all("#add-user-error"), "the refusal is still shown after the user was added")
    browser.driver.refresh()  # a GET after the 303: nothing is sent again, the message is not shown again
    browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the reload")
    browser.require(not browser.all("[role=status]"), "the Added message is shown again after a reload")
    post_again(browser, action, fields)  # the Add user form, sent again with its one-time id
    browser.wait_for_text(f"{row} [role=status]", "already sent", "no one was added again")
    rows = [cell for cell in browser.all('table#users td[data-label="Email"]')
            if (cell.get_attribute("textContent") or "").strip() == STAFF_EMAIL]
    browser.require(len(rows) == 1, f"{STAFF_EMAIL} has {len(rows)} rows after the form was sent twice")


def flow_user_controls(browser, context):
    """An admin adds a user (`add_user`) and disables them on the users page (post, then redirect to the user's row
    with what happened): the user can no longer sign in; a reload shows nothing again, and the Disable form sent again after Enable changes
    nothing. The admin's own row has no Disable. A new password typed twice (a mismatch refused next to the form)
    ends the old one: the user signs in with the new. Screenshots at 1366 and 390 px; the page fits a phone."""
    browser.ensure_signed_in()
    browser.open("/admin/users")
    if STAFF_EMAIL not in browser.text_of("table#users"):
        add_user(browser)
        browser.open("/admin/users")
    own = user_row(browser, ADMIN_EMAIL)
    browser.require(not browser.all(f"{own} form[action$='/disable']"), "the admin's own row offers Disable")
    row = user_row(browser, STAFF_EMAIL)
    disable = f"{row} form[action$='/disable']"
    action, fields = form_fields(browser, disable)
    browser.require(
        any(name == "submission" and value for name, value in fields), f"`{disable}` carries no one-time id")
    browser.submit(disable)
    browser.wait_for_text(f"{row} [role=status]", "Disabled", STAFF_EMAIL)
    browser.require(browser.path() == "/admin/users", f"after Disable the browser is on {browser.path()}")
    browser.require(browser.driver.current_url.endswith(row), f"Disable did not lead back to the row {row}")
    browser.wait_for_text(f'{row} td[data-label="State"]', "disabled")
    browser.driver.refresh()  # a GET after the 303: nothing is sent again, the message is not shown again
    browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the reload")
    browser.require(not browser.all("[role=status]"), "the Disable message is shown again after a reload")
    browser.wait_for_text(f'{row} td[data-label="State"]', "disabled")

    browser.submit(f"{row} form[action$='/enable']")
    browser.wait_for_text(f"{row} [role=status]", "Enabled", STAFF_EMAIL)
    post_again(browser, action, fields)  # the first Disable form, sent again with its one-time id
    browser.wait_for_text(f"{row} [role=status]", "already sent", "nothing was changed again")
    browser.wait_for_text(f'{row} td[data-label="State"]', "active")

    browser.submit(disable)
    browser.wait_for_text(f"{row} [role=status]", "Disabled", STAFF_EMAIL)
    sign_in_as(browser, STAFF_EMAIL, STAFF_PASSWORD)
    browser.wait_for_text("[role=alert]", "This account is disabled")
    browser.require(browser.path() == "/login", f"a disabled user got past sign-in to {browser.path()}")
    browser.ensure_signed_in()
    browser.open("/admin/users")
    browser.submit(f"{row} form[action$='/enable']")
    browser.wait_for_text(f"{row} [role=status]", "Enabled", STAFF_EMAIL)

    password = f"{row}-password"
    browser.element(f"{row} details summary", "the row's Reset password").click()
    browser.fill(password, STAFF_NEW_PASSWORD)
    browser.fill(f"{row}-confirm", STAFF_NEW_PASSWORD + "x")
    browser.submit(f"{row} form[action$='/password']")
    browser.wait_for_text(f"{row} [role=alert]", "not the same", "Nothing was changed")
    browser.fill(password, STAFF_NEW_PASSWORD)  # the form is open again, next to the sentence
    browser.fill(f"{row}-confirm", STAFF_NEW_PASSWORD)
    browser.submit(f"{row} form[action$='/password']")
    browser.wait_for_text(f"{row} [role=status]", "Set a new password for", STAFF_EMAIL)

    size = browser.driver.get_window_size()
    browser.driver.set_window_size(1366, 900)
    try:
        browser.open("/admin/users")
        browser.element(f"{row} details summary", "the row's Reset password").click()
        screenshot(browser, "users-1366")
    finally:
        browser.driver.set_window_size(size["width"], size["height"])

    def fits():
        browser.open("/admin/users")
        browser.element(f"{row} details summary").click()
        width, shown = page_width(browser)
        browser.require(width <= shown, f"/admin/users is {width} px wide in a {shown} px window")
        screenshot(browser, "users-390")
    at_phone_width(browser, fits)

    sign_in_as(browser, STAFF_EMAIL, STAFF_PASSWORD)
    browser.wait_for_text("[role=alert]", "not right")
    sign_in_as(browser, STAFF_EMAIL, STAFF_NEW_PASSWORD)
    browser.wait(lambda _: browser.path() != "/login", "the new password to sign the user in")
    browser.driver.delete_all_cookies()  # the next flows sign in as the admin again



# MARK: The debt page's actions


def shown(browser, css):
    """True when an element matching `css` is displayed (the contact form shows each type's own fields)."""
    return any(element.is_displayed() for element in browser.all(css))


def flow_one_click_outcome(browser, context):
    """A call's outcome takes one click: the "No answer" button records an outbound call now to the number "Can we
    call now?" is about, and the page says so; when the rules refuse a call now, the same click shows the refusal
    and records nothing."""
    browser.ensure_signed_in()
    chosen = None
    for ref in QUICK_CALL_REFS:
        open_debt(browser, ref)
        if browser.text_of("#can-call .verdict-sentence").startswith("Yes"):
            chosen = ref
            break
    if chosen is None:
        open_debt(browser, QUICK_CALL_REFS[0])
    page = debt_page_path(browser)
    browser.wait_for_text("#quick-calls", "One click records the call")
    button = browser.element("form#quick-no_answer button[type=submit]", "the one-click `No answer` button")
    browser.require(button.text.strip() == "No answer", f"the first one-click button says {button.text!r}")
    number = browser.element("form#quick-no_answer input[name=to]").get_attribute("value")
    before = calls_in_timeline(browser)

    browser.submit("form#quick-no_answer")  # the one click

    browser.require(browser.path() == page, f"after the click the browser is on {browser.path()}, not {page}")
    if chosen is not None:
        browser.wait_for_text("[role=status]", "Recorded: call", "outbound, no answer", number)
        browser.require(
            calls_in_timeline(browser) == before + 1, f"#timeline shows {calls_in_timeline(browser)} calls, expected {before + 1}")
    else:
        browser.wait_for_text("[role=alert]", "Refused", "Nothing was recorded")
        browser.require(
            calls_in_timeline(browser) == before, f"a refused click added a call: {calls_in_timeline(browser)} calls")
    browser.driver.refresh()
    browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the reload")
    browser.require(calls_in_timeline(browser) == before + (1 if chosen else 0), "a reload after the click changed the timeline")


def flow_contact_note_callback(browser, context):
    """The contact form shows what the chosen type needs (a call: direction, outcome, number; a letter: no number; a
    cease: no callback); a call recorded with a note and a callback shows both in the timeline, and the callback
    under "Can we call now?"."""
    browser.ensure_signed_in()
    open_debt(browser, NOTE_CALLBACK_REF)
    expected = {
        "call": {"#outcome": True, "#contact-direction": True, "#contact-to": True, "#contact-callback": True},
        "letter": {"#outcome": False, "#contact-direction": False, "#contact-to": False, "#contact-callback": True},
        "email": {"#outcome": False, "#contact-direction": True, "#contact-to": True, "#contact-callback": True},
        "cease": {"#outcome": False, "#contact-direction": False, "#contact-to": False, "#contact-callback": False},
    }
    for contact_type, fields in expected.items():
        browser.choose("select#contact-type", contact_type)
        for css, visible in fields.items():
            browser.require(
                shown(browser, css) == visible,
                f"with type {contact_type!r}, `{css}` is {'hidden' if visible else 'shown'}; expected the opposite")
        browser.require(shown(browser, "#contact-note"), f"with type {contact_type!r} the note is hidden")
    browser.choose("select#contact-type", "call")
    browser.choose("select#contact-direction", "inbound")
    browser.choose("select#outcome", "conversation")
    browser.set_value("input#contact-at", CALL_AT)
    browser.fill("textarea#contact-note", NOTE_TEXT)
    browser.set_value("input#contact-callback", NOTE_CALLBACK_AT)
    browser.submit("form#record-contact")

    browser.wait_for_text("[role=status]", "Recorded: call", "inbound, conversation", "Call back:")
    browser.wait_for_text("#timeline", NOTE_TEXT, "Call back")
    iso = NOTE_CALLBACK_AT + ":00Z"
    browser.element(f'#timeline time[datetime="{iso}"]', f"the callback `time[datetime={iso}]` in the timeline")
    browser.element(f'#callback time[datetime="{iso}"]', "the pending callback `#callback` under Can we call now?")
    browser.wait_for_text("#callback", "Call back", ADMIN_EMAIL)


def balance_total(browser):
    return money_value(browser.text_of("#balance tfoot td"))


def flow_payment_from_page(browser, context):
    """A payment typed as people type it (" $25 ") is recorded from the page: the page says so, the balance drops by
    it and the ledger lists it; a reload records nothing more."""
    browser.ensure_signed_in()
    open_debt(browser, PAYMENT_REF)
    before = balance_total(browser)
    browser.require(before > 2500, f"{PAYMENT_REF} owes {before} cents, too little for the flow")
    browser.fill("#payment-amount", PAYMENT_TYPED)
    browser.choose("select#payment-method", "check")
    browser.fill("#payment-reference", "1042")
    browser.submit("form#payment-form")

    browser.wait_for_text("[role=status]", "Recorded: a payment of $25.00", "(check), reference 1042", "balance is now")
    after = balance_total(browser)
    browser.require(after == before - 2500, f"the balance went from {before} to {after} cents after a $25.00 payment")
    browser.wait_for_text("#ledger", "payment")
    browser.driver.refresh()
    browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the reload")
    browser.require(balance_total(browser) == after, "a reload after the payment changed the balance")


def flow_promise_from_page(browser, context):
    """A promise to pay is recorded from the page and listed with the promises, pending; one above the balance is
    refused with the reason next to the form, as typed."""
    browser.ensure_signed_in()
    open_debt(browser, PROMISE_REF)
    due_field = browser.element("#promise-due", "the promise's date `#promise-due`")
    earliest = due_field.get_attribute("min")
    browser.require(earliest, "`#promise-due` has no min (the first day a promise may fall due)")
    year, month, day = (int(part) for part in earliest.split("-"))
    due = (datetime.date(year, month, day) + datetime.timedelta(days=7)).isoformat()
    browser.fill("#promise-amount", "50")
    browser.set_value("#promise-due", due)
    browser.submit("form#promise-form")
    browser.wait_for_text("[role=status]", "Recorded: a promise to pay $50.00")
    browser.wait_for_text("#promises", "$50.00", "pending")

    browser.fill("#promise-amount", "$99,999")
    browser.set_value("#promise-due", due)
    browser.submit("form#promise-form")
    browser.wait_for_text("#promise-error", "$99,999.00")
    browser.require(
        browser.element("#promise-amount").get_attribute("value") == "$99,999", "the refused amount is not shown as typed")


def flow_portal_link_from_page(browser, context):
    """A portal link made from the debt page is shown once as a whole URL (here from the address the browser used:
    no --public-url) and opens the debtor's portal. The page, link shown, fits a phone."""
    browser.ensure_signed_in()
    open_debt(browser, PORTAL_LINK_REF)
    page = debt_page_path(browser)
    browser.submit("form#portal-link-form")
    browser.wait_for_text("[role=status]", "Portal link made")
    link = browser.element("#portal-link-url", "the link `#portal-link-url`")
    url = link.get_attribute("href")
    browser.require(url.startswith(browser.base + "/portal/"), f"the link is {url!r}, not a whole URL under {browser.base}")
    browser.require(link.text.strip() == url, f"the link shows {link.text!r} rather than the whole URL {url!r}")
    screenshot(browser, "debt-page-1366")
    wide = []

    def check():
        scroll, inner = browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide.append(f"{scroll} > {inner}")
        screenshot(browser, "debt-page-390")

    at_phone_width(browser, check)
    browser.require(not wide, f"the debt page with the link shown is wider than the phone: {wide}")
    browser.open(page)
    browser.require(not browser.all("#portal-link-url"), "the link is shown again on the next visit")

    browser.driver.get(url)
    browser.wait_for_text("#amount-owed", "$")
    browser.element("#who", "`#who` on the portal the link opens")

def flow_references_one_line(browser, context):
    """At 1366 px no reference in the debts list breaks over two lines (NW-100082, not NW- / 100082), in the sort
    whose rows have the longest debtor names; at 390 px the stacked list still fits the phone."""
    browser.ensure_signed_in()
    wrapped_script = (
        "return Array.from(document.querySelectorAll('table#debts td.ref a'))"
        ".filter(a => a.getClientRects().length > 1).map(a => a.textContent.trim());")
    size = browser.driver.get_window_size()
    browser.driver.set_window_size(1366, 900)
    try:
        for path in ("/debts", "/debts?sort=balance&dir=desc"):
            browser.open(path)
            browser.element("table#debts td.ref a", f"references in the list {path}")
            wrapped = browser.driver.execute_script(wrapped_script)
            browser.require(not wrapped, f"{path} at 1366 px breaks these references over lines: {wrapped[:5]}")
        screenshot(browser, "debts-references-1366")
    finally:
        browser.driver.set_window_size(size["width"], size["height"])

    def fits():
        browser.open("/debts?sort=balance&dir=desc")
        width, shown = page_width(browser)
        browser.require(width <= shown, f"the sorted list is {width} px wide in a {shown} px window")
        screenshot(browser, "debts-references-390")
    at_phone_width(browser, fits)



def flow_work_queue(browser, context):
    """The work queue lists whom the user may call now, each with why, the number and the debtor's time; Claim locks
    one for the user (click 1), and an outcome button under a typed note records the call, releases the claim and
    takes a promise due today off the queue (click 2); a reload records nothing. At 390 px the queue fits the
    phone."""
    if "queue_error" in context:
        raise FlowFailure(f"the promises for the queue could not be made: {context['queue_error']}")
    browser.ensure_signed_in()
    browser.open("/queue")
    browser.wait_for_text("h1", "Work queue")
    current = browser.all('header nav a[aria-current="page"]')
    browser.require(len(current) == 1 and current[0].text.strip() == "Queue",
                    f"the current nav item is {[c.text for c in current]}, expected 'Queue'")
    screenshot(browser, "queue-1366")
    items = browser.all("ol.queue > li.queue-item")
    hour = datetime.datetime.now(datetime.timezone.utc).hour
    if not items:
        browser.wait_for_text("#queue-caption", "Nobody may be called now")
        browser.require(7 <= hour < 13, f"the queue is empty at {hour}:00 UTC, when debtors in some US zone may be called")
    else:
        first = items[0]
        anchor = first.get_attribute("id")
        reason = first.get_attribute("class")
        name = first.find_element(By.CSS_SELECTOR, "h2").text
        browser.require(first.find_elements(By.CSS_SELECTOR, ".call-line a[href^='tel:+']"), f"{name}: no number to call")
        browser.require(first.find_elements(By.CSS_SELECTOR, "ul.points li"), f"{name}: no talking points")
        browser.wait_for_text(f"li#{anchor} .call-line", "their time")

        browser.submit(f"li#{anchor} form[action$='/claim']")  # click 1
        browser.wait_for_text("[role=status]", "Claimed:")
        browser.wait_for_text(f"li#{anchor} .claimed", "Claimed by you until")
        browser.require(browser.path() == "/queue", f"after the claim the browser is on {browser.path()}")

        browser.fill(f"li#{anchor} textarea[name=note]", QUEUE_NOTE)
        button = browser.element(f"li#{anchor} form.outcome button[type=submit]", "the first outcome button")
        browser.require(button.text.strip() == "No answer", f"the first outcome button says {button.text!r}")
        browser.submit(f"li#{anchor} form.outcome")  # click 2
        browser.wait_for_text("[role=status]", "Recorded: a call to", "no answer", QUEUE_NOTE)
        if "reason-promise_due_today" in (reason or ""):
            browser.require(not browser.all(f"li#{anchor}"), f"{name} is still in the queue after the call about today's promise")
        browser.driver.refresh()
        browser.wait(lambda driver: driver.execute_script("return document.readyState") == "complete", "the reload")
        browser.require(not browser.all("[role=status]"), "the message of the recording is shown again after a reload")
    wide = []

    def check():
        browser.open("/queue")
        browser.element("main", "the queue's main part")
        scroll, inner = browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide.append(f"/queue: {scroll} > {inner}")
        screenshot(browser, "queue-390")

    at_phone_width(browser, check)
    browser.require(not wide, "the queue is wider than the phone: " + "; ".join(wide))


def flow_outbox(browser, context):
    """The outbox page as the admin: the filter form (status, channel, client) and the table of messages, or the
    empty state when nothing has been queued (the demo runs no strategy); a filter is kept in the address and the
    form. At 390 px the page fits the phone."""
    browser.ensure_signed_in()
    browser.open("/outbox")
    browser.wait_for_text("h1", "Outbox")
    for name in ("status", "channel", "client"):
        browser.element(f"form#outbox-filters select[name={name}]", f"the outbox's {name} filter")
    rows = browser.all("table#outbox tbody tr")
    if rows:
        browser.require(browser.all("table#outbox a.message-link"), "the outbox's rows have no link to their message")
        labels = {cell.get_attribute("data-label") for cell in browser.all("table#outbox tbody tr:first-child td")}
        missing = {"Message", "Send after", "To", "Debtor", "Status"} - labels
        browser.require(not missing, f"the outbox's first row has no cells labelled {sorted(missing)}")
    else:
        browser.wait_for_text("#outbox-empty", "The outbox is empty")
    screenshot(browser, "outbox-1366")
    browser.choose("form#outbox-filters select[name=status]", "failed")
    browser.choose("form#outbox-filters select[name=channel]", "email")
    browser.submit("form#outbox-filters")
    browser.require("status=failed" in browser.driver.current_url and "channel=email" in browser.driver.current_url,
                    f"the filters are not in the address {browser.driver.current_url}")
    chosen = Select(browser.element("form#outbox-filters select[name=status]")).first_selected_option
    browser.require(chosen.get_attribute("value") == "failed", "the status filter does not show the status chosen")
    if not browser.all("table#outbox tbody tr"):
        browser.wait_for_text("#outbox-empty", "No message matches these filters")
    wide = []

    def check():
        browser.open("/outbox")
        browser.element("form#outbox-filters", "the outbox's filters")
        scroll, inner = browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide.append(f"/outbox: {scroll} > {inner}")
        screenshot(browser, "outbox-390")

    at_phone_width(browser, check)
    browser.require(not wide, "the outbox is wider than the phone: " + "; ".join(wide))


def opt_out_token(database, message_id):
    """The opt-out token Recoup puts in message `message_id`'s emails: its id and the first 16 bytes of the HMAC-SHA256
    of "opt-out:ID" under the installation's secret, base64url without padding."""
    import base64
    import hashlib
    import hmac
    import sqlite3
    with sqlite3.connect(database) as connection:
        secret = connection.execute("SELECT secret FROM installation_secrets WHERE name = 'opt-out'").fetchone()[0]
    mac = hmac.new(bytes.fromhex(secret), b"opt-out:%d" % message_id, hashlib.sha256).digest()[:16]
    return "%d-%s" % (message_id, base64.urlsafe_b64encode(mac).decode().rstrip("="))


def flow_opt_out_and_outbox_actions(browser, context):
    """After a daily run fills the outbox: a debtor opens an email's opt-out link, sees whose emails stop and confirms
    with one button (readable at 390 px); a forged link is a 404 page. Then the admin cancels a queued message with a
    reason from the outbox page and sees it cancelled. Runs last: the run changes the demo's state."""
    import sqlite3
    run_recoup(context["recoup"], ["run", "--as-of", TODAY], context["database"])
    with sqlite3.connect(context["database"]) as connection:
        rows = connection.execute(
            "SELECT id, recipient FROM outbox_messages WHERE channel = 'email' AND status = 'queued' ORDER BY id LIMIT 2"
        ).fetchall()
    browser.require(len(rows) == 2, f"the daily run queued {len(rows)} emails in the demo; expected at least 2")
    (first, address), (second, _) = rows
    masked = address[0] + "***" + address[address.index("@"):]
    token = opt_out_token(context["database"], first)
    browser.open(f"/opt-out/{token}")
    browser.wait_for_text("h1", "Stop emails")
    browser.wait_for_text("main", masked)
    wide = []

    def check():
        scroll, inner = browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide.append(f"{scroll} > {inner}")
        screenshot(browser, "opt-out-390")

    at_phone_width(browser, check)
    browser.require(not wide, "the opt-out page is wider than the phone: " + "; ".join(wide))
    browser.submit("form#opt-out-form")
    browser.wait_for_text("#opt-out-done", "We will send no more emails to", masked)
    with sqlite3.connect(context["database"]) as connection:
        opt_outs = connection.execute(
            "SELECT COUNT(*) FROM contact_events WHERE type = 'opt_out' AND recorded_by = 'opt-out'").fetchone()[0]
    browser.require(opt_outs == 1, f"the opt-out recorded {opt_outs} events; expected 1")
    browser.open(f"/opt-out/{second}-{token.split('-', 1)[1]}")
    browser.wait_for_text("main", "not one Recoup made")

    browser.ensure_signed_in()
    browser.open(f"/outbox/{second}")
    browser.fill("#cancel-form [name=reason]", "Asked by phone to wait a week")
    browser.submit("#cancel-form")
    browser.wait_for_text("main", "cancelled", "Asked by phone to wait a week")
    browser.require(not browser.all("#cancel-form"), "a cancelled message still offers to be cancelled")
    screenshot(browser, "outbox-cancelled-1366")


# The template editor (issue 15): a Harbor Dental text message, edited and saved.
TEMPLATE_EDITOR = "/templates/reminder/sms/en?client=" + PORTAL_CLIENT
TEMPLATE_TYPED = " Thank you for reading."


def flow_template_editor(browser, context):
    """The template editor: typing into the body updates the preview by itself (the page's script posts the form to
    /templates/preview about 400 ms after the last key), then Save redirects back with "Saved as version N" and the
    wording in force is the client's own. At 390 px the editor fits the phone."""
    browser.ensure_signed_in()
    browser.open(TEMPLATE_EDITOR)
    browser.wait_for_text("h1", "reminder")
    browser.wait_for_text("#preview-body", "$")
    browser.require(browser.all("#template-form.live"),
                    "the editor's script did not run (no `live` class on the form): the content security policy must "
                    "allow script-src 'self' and connect-src 'self' (SecurityHeadersMiddleware)")
    screenshot(browser, "template-editor-1366")
    body = browser.element("#template-body", "the body `#template-body`")
    browser.driver.execute_script("arguments[0].focus(); arguments[0].setSelectionRange(1e6, 1e6);", body)
    body.send_keys(TEMPLATE_TYPED)
    browser.wait_for_text("#preview-body", TEMPLATE_TYPED.strip())
    browser.require(browser.path().startswith("/templates/reminder/sms/en"), "typing left the editor")
    save = browser.element("#template-form button[value=save]", "the Save button")
    old_page = browser.driver.find_element(By.TAG_NAME, "html")
    save.click()
    browser.wait(replaced(old_page), "the page after Save")
    browser.wait_for_text("[role=status]", "Saved as version")
    browser.wait_for_text("#template-origin", "the client's own version")
    browser.require(TEMPLATE_TYPED.strip() in browser.element("#template-body").get_attribute("value"),
                    "the saved wording does not hold what was typed")
    wide = []

    def check():
        browser.open(TEMPLATE_EDITOR)
        browser.element("#template-body", "the editor's body")
        scroll, inner = browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide.append(f"{scroll} > {inner}")
        screenshot(browser, "template-editor-390")

    at_phone_width(browser, check)
    browser.require(not wide, "the template editor is wider than the phone: " + "; ".join(wide))



# The agency's side (issue 16): a client user uploads a placement file and reads the acknowledgement, reports a
# payment made to the client directly, an admin closes a statement, the client user opens it.

AGENCY_CLIENT = "lakeside-clinic"
AGENCY_CLERK = "clerk@lakeside.example"
AGENCY_CLERK_PASSWORD = "lakeside-clerk-password"
AGENCY_CONTRACT = (
    '{"remittance": "net", "directPaymentCommission": true, '
    '"rates": [{"upToDaysAtPlacement": 180, "percent": "25"}, {"percent": "35"}]}')
AGENCY_FILE = (
    "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal\n"
    "LK-1,LKD-1,consumer,Robin Vale,2026-06-01,2026-07-01,400.00\n"
    "LK-2,LKD-2,consumer,Sasha Moor,2026-06-01,2026-07-01,250.00\n"
    "LK-1,LKD-1,consumer,Robin Vale,2026-06-01,2026-07-01,400.00\n")


def at_width(browser, width, check):
    """Runs `check` with the window `width` pixels wide, then puts the width back."""
    size = browser.driver.get_window_size()
    browser.driver.set_window_size(width, 900)
    try:
        browser.wait(lambda driver: driver.execute_script("return window.innerWidth") <= width,
                     f"the window to be {width} px wide")
        check()
    finally:
        browser.driver.set_window_size(size["width"], size["height"])


def fits_and_shoot(browser, name, also=None):
    """At 1366 and at 390 px: a screenshot of the page, which must not be wider than the window at either (and one
    scrolled to the element `also`, when given)."""
    def check(width):
        def run():
            browser.driver.refresh()
            browser.element("main", "the page's main part")
            scroll, inner = browser.driver.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]")
            browser.require(scroll <= inner, f"{browser.path()} is {scroll} px wide in a {inner} px window")
            screenshot(browser, f"{name}-{width}")
            if also:
                browser.driver.execute_script("document.querySelector(arguments[0]).scrollIntoView()", also)
                screenshot(browser, f"{name}-{also.strip('#.')}-{width}")
        return run
    at_width(browser, 1366, check(1366))
    at_width(browser, PHONE_WIDTH, check(PHONE_WIDTH))


def flow_agency_portal(browser, context):
    """A client user uploads a placement file and sees the acknowledgement (two accepted, one refused with the
    reason), reports a payment the debtor made to the client; the agency receives a payment (the command line); an
    admin closes the month's statement from the page; the client user opens it and reads its figures."""
    work = Path(tempfile.mkdtemp(prefix="recoup-agency-"))
    contract = work / "contract.json"
    contract.write_text(AGENCY_CONTRACT)
    placements = work / "lakeside-november.csv"
    placements.write_text(AGENCY_FILE)
    run_recoup(context["recoup"], ["agency", "contract", "--client", AGENCY_CLIENT, str(contract)], context["database"])
    run_recoup(
        context["recoup"],
        ["user", "add", AGENCY_CLERK, "--role", "client", "--client", AGENCY_CLIENT, "--password-stdin"],
        context["database"], stdin=AGENCY_CLERK_PASSWORD + "\n")

    sign_in_as(browser, AGENCY_CLERK, AGENCY_CLERK_PASSWORD)
    browser.require(browser.path() != "/login", f"signing in as {AGENCY_CLERK} failed")
    browser.open("/agency/placements")
    browser.element("form#upload", "the upload form `form#upload`")
    browser.require(not browser.all("#upload-client"), "a client user is offered a choice of client")
    browser.set_value("#upload-placed-on", "2026-10-01")
    browser.element("#upload-file").send_keys(str(placements))
    browser.submit("form#upload")
    browser.require(
        browser.path().startswith("/agency/placements/acknowledgements/"),
        f"the upload led to {browser.path()}, not an acknowledgement")
    browser.wait_for_text("[role=status]", "2 accepted", "1 rejected")
    browser.wait_for_text("#rejected", "LK-1")
    browser.wait_for_text("#accepted", "LK-1", "LK-2", "25%")
    csv_link = browser.element("a#acknowledgement-csv", "the acknowledgement's CSV link")
    browser.require(
        csv_link.get_attribute("href").endswith("/acknowledgement.csv"), f"the CSV link is {csv_link.get_attribute('href')}")
    fits_and_shoot(browser, "agency-acknowledgement")

    browser.open("/agency/placements")
    browser.wait_for_text("table#placements", "LK-1", "LK-2", "open")
    row = browser.element('tr[data-debt="LK-2"]', "the row of LK-2")
    row.find_element(By.CSS_SELECTOR, "details.direct-payment summary").click()
    form = f'#{row.get_attribute("id")} details.direct-payment form'
    browser.fill(f'#{row.get_attribute("id")}-amount', "40.00")
    browser.set_value(f'#{row.get_attribute("id")}-received', "2026-11-12")
    browser.submit(form)
    browser.wait_for_text("[role=status]", "Recorded a direct payment of $40.00 on LK-2")
    fits_and_shoot(browser, "agency-placements", also="#upload-h")

    # Collected in October: to be remitted by 2026-11-30, so the dashboard warns once that is a week away or past.
    run_recoup(
        context["recoup"],
        ["payment", "post", "--client", AGENCY_CLIENT, "--debt", "LK-1", "--amount", "120.00", "--on", "2026-10-20",
         "--key", "lk-agency-1"], context["database"])

    sign_in_as(browser, ADMIN_EMAIL, ADMIN_PASSWORD)
    browser.open("/")
    browser.wait_for_text(
        "#remittance-warnings", f"{AGENCY_CLIENT}: 1 payment collected in October", "must be remitted by 2026-11-30")
    fits_and_shoot(browser, "agency-dashboard-warning")
    browser.open(f"/agency/contracts/{AGENCY_CLIENT}")
    browser.wait_for_text("table#rates", "25%", "35%")
    fits_and_shoot(browser, "agency-contract")
    browser.open("/remittances")
    fits_and_shoot(browser, "agency-remittances-list")
    browser.choose("#close-client", AGENCY_CLIENT)
    browser.set_value("#close-through", "2026-11-30")
    browser.submit("form#close-statement")
    browser.require(browser.path().startswith("/remittances/"), f"closing led to {browser.path()}")
    browser.wait_for_text("[role=status]", "Closed statement", AGENCY_CLIENT)
    statement_path = browser.path()
    browser.open("/")
    browser.require(
        AGENCY_CLIENT not in browser.text_of("#remittance-warnings"), "the dashboard still warns after the statement")

    sign_in_as(browser, AGENCY_CLERK, AGENCY_CLERK_PASSWORD)
    browser.open("/remittances")
    link = browser.element(f'table#statements a[href="{statement_path}"]', f"a link to {statement_path}")
    link.click()
    browser.wait(lambda driver: urlparse(driver.current_url).path == statement_path, f"the statement {statement_path}")
    # Net: 120.00 collected at 25% is 30.00; the direct 40.00 earns 10.00; due to the client 80.00.
    browser.wait_for_text(
        "table#figures", "Collected by the agency", "120.00 USD", "30.00 USD", "40.00 USD", "10.00 USD", "80.00 USD")
    browser.wait_for_text("table#lines", "LK-1", "LK-2", "direct payment")
    browser.element("a#statement-pdf", "the PDF link")
    fits_and_shoot(browser, "agency-statement-client", also="#lines")
    browser.driver.delete_all_cookies()  # the next flows sign in as the admin again
    shutil.rmtree(work, ignore_errors=True)


FLOWS = [
    ("login", flow_login),
    ("debts-list", flow_debts_list),
    ("debt-page", flow_debt_page),
    ("record-contact", flow_record_contact),
    ("file-disputed", flow_file_disputed),
    ("post-redirect-get", flow_post_redirect_get),
    ("paid-off", flow_paid_off),
    ("portal", flow_portal),
    ("portal-plan-on-return", flow_portal_plan_on_return),
    ("portal-dispute-one", flow_portal_dispute_one),
    ("client-profile", flow_client_profile),
    ("debts-sorted", flow_debts_sorted),
    ("debts-previous-page", flow_debts_previous_page),
    ("debtor-link", flow_debtor_link),
    ("navigation", flow_navigation),
    ("phone-widths", flow_phone_widths),
    ("user-controls", flow_user_controls),
    ("references-one-line", flow_references_one_line),
    ("one-click-outcome", flow_one_click_outcome),
    ("contact-note-callback", flow_contact_note_callback),
    ("payment-from-page", flow_payment_from_page),
    ("promise-from-page", flow_promise_from_page),
    ("portal-link-from-page", flow_portal_link_from_page),
    ("work-queue", flow_work_queue),
    ("outbox", flow_outbox),
    ("template-editor", flow_template_editor),
    ("opt-out-and-outbox-actions", flow_opt_out_and_outbox_actions),
    ("agency-portal", flow_agency_portal),
]


# MARK: Running


def save_failure(browser, name, artifacts, message):
    saved = []
    try:
        (artifacts / f"{name}.txt").write_text(message + "\n")
        saved.append(f"{name}.txt")
        if browser is not None and browser.alive():
            (artifacts / f"{name}.html").write_text(browser.driver.page_source)
            saved.append(f"{name}.html")
            if browser.driver.save_screenshot(str(artifacts / f"{name}.png")):
                saved.append(f"{name}.png")
    except (OSError, WebDriverException) as error:
        saved.append(f"(could not save everything: {error})")
    return saved


def run_flows(browser, context, artifacts, selected):
    failures = []
    for name, flow in FLOWS:
        if selected and name not in selected:
            continue
        started = time.monotonic()
        print(f"browser-tests: {name} ...", flush=True)
        try:
            browser.relaunch_if_dead()
            flow(browser, context)
        except FlowFailure as error:
            message = str(error)
        except Exception as error:  # noqa: BLE001 - any error fails the flow, the rest still run
            message = f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
        else:
            print(f"browser-tests: {name} passed ({time.monotonic() - started:.1f} s)", flush=True)
            continue
        saved = save_failure(browser, name, artifacts, message)
        print(f"browser-tests: {name} FAILED: {message}", flush=True)
        print(f"browser-tests:   saved {', '.join(saved)} in {artifacts}", flush=True)
        failures.append((name, message.splitlines()[0] if message else "failed"))
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recoup", required=True, help="the recoup binary (after swift build)")
    parser.add_argument("--artifacts", default=".ci-artifacts/browser", help="where failures leave screenshots")
    parser.add_argument("--only", default="", help="comma-separated flows to run: " + ",".join(n for n, _ in FLOWS))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, browser profile)")
    args = parser.parse_args()

    recoup = str(Path(args.recoup).resolve())
    if not os.access(recoup, os.X_OK):
        sys.exit(f"browser-tests: {args.recoup} is not an executable; build first (swift build)")
    selected = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = selected - {name for name, _ in FLOWS}
    if unknown:
        sys.exit(f"browser-tests: unknown flows {sorted(unknown)}; the flows are {[n for n, _ in FLOWS]}")
    artifacts = Path(args.artifacts).resolve()
    artifacts.mkdir(parents=True, exist_ok=True)
    for name, _ in FLOWS:
        for suffix in (".txt", ".html", ".png"):
            (artifacts / f"{name}{suffix}").unlink(missing_ok=True)

    # SIGTERM (a CI timeout) goes through the finally blocks too, so the server and the browser are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    temp = Path(tempfile.mkdtemp(prefix="recoup-browser-"))
    database = temp / "recoup.sqlite"
    server = browser = None
    started = time.monotonic()
    try:
        try:
            print(f"browser-tests: loading the demo portfolio into {database}", flush=True)
            run_recoup(recoup, ["demo", "--today", TODAY], database)
            run_recoup(
                recoup, ["user", "add", ADMIN_EMAIL, "--role", "admin", "--password-stdin"], database,
                stdin=ADMIN_PASSWORD + "\n")
            context = {"recoup": recoup, "database": database}
            try:
                output = run_recoup(
                    recoup, ["portal", "link", "--client", PORTAL_CLIENT, "--debtor", PORTAL_DEBTOR, "--days", "30"],
                    database)
                context["portal_url"] = portal_url_from(output)
            except RuntimeError as error:
                context["portal_error"] = str(error)  # only the portal flow needs it
            try:
                output = run_recoup(
                    recoup, ["portal", "link", "--client", PROFILE_CLIENT, "--debtor", PROFILE_DEBTOR, "--days", "30"],
                    database)
                context["profile_portal_url"] = portal_url_from(output)
            except RuntimeError as error:
                context["profile_portal_error"] = str(error)  # only the client-profile flow needs it
            try:
                output = run_recoup(
                    recoup, ["portal", "link", "--client", PORTAL_CLIENT, "--debtor", RETURN_DEBTOR, "--days", "30"],
                    database)
                context["return_portal_url"] = portal_url_from(output)
            except RuntimeError as error:
                context["return_portal_error"] = str(error)  # only the portal-return flows need it
            try:
                today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
                for client, ref in QUEUE_PROMISES:
                    run_recoup(
                        recoup, ["promise", "add", "--client", client, "--debt", ref, "--amount", "10.00", "--due", today,
                                 "--made-on", today], database)
            except RuntimeError as error:
                context["queue_error"] = str(error)  # only the work-queue flow needs them
            server = Server(recoup, database, artifacts / "server.log")
            server.wait_healthy()
            print(f"browser-tests: server ready at {server.base}", flush=True)
            browser = Browser(server.base, temp)
        except (RuntimeError, WebDriverException) as error:
            print(f"browser-tests: setup failed: {error}", file=sys.stderr, flush=True)
            return 1

        failures = run_flows(browser, context, artifacts, selected)
    finally:
        if browser is not None:
            browser.quit()
        if server is not None:
            server.stop()
        if args.keep:
            print(f"browser-tests: kept {temp}")
        else:
            shutil.rmtree(temp, ignore_errors=True)

    ran = len(selected) if selected else len(FLOWS)
    elapsed = time.monotonic() - started
    if failures:
        print(f"\nbrowser-tests: {len(failures)} of {ran} flows failed ({elapsed:.0f} s); artifacts in {artifacts}")
        for name, first_line in failures:
            print(f"  {name}: {first_line}")
        return 1
    print(f"\nbrowser-tests: all {ran} flows passed ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
