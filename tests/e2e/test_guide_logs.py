"""导诊台's own records: a shift handover written with the keyboard only and taken over by the
supervisor, then corrected — the original kept, marked, beside its correction — and a work-log
entry.

DOM contract used here: #guide-handover, #guide-worklog; #guide-log[data-kind], #log-body,
#log-open, #log-taker, #log-category, #log-reason, #log-save (F9), #log-list .log-entry[data-id]
(.corrected), .log-correct; #log-back.
"""

import os

from test_shell import login
from webdriver import Keys

SHOTS = os.environ.get("FRONTDESK_E2E_SHOTS", "/tmp/frontdesk-e2e-shots")


def snap(wd, name):
    os.makedirs(SHOTS, exist_ok=True)
    wd.next_frames(2)
    wd.screenshot(os.path.join(SHOTS, f"{name}.png"))


def focused(wd, element_id, what=""):
    wd.wait_until(lambda: wd.active_id() == element_id, 5,
                  message=lambda: f"focus on #{element_id} {what} (is on #{wd.active_id()})")


def entries(wd):
    return wd.execute("return [...document.querySelectorAll('#log-list .log-entry')].map(e => "
                      "({id: Number(e.dataset.id), corrected: e.classList.contains('corrected'), text: e.innerText}))")


def test_a_handover_and_its_correction(wd):
    login(wd, "guide")
    wd.wait_for("#guide-handover")
    wd.find("#guide-handover").click()
    wd.wait_for("#guide-log")
    focused(wd, "log-body", "when the log opens")
    # Nothing typed, F9: refused beside the field.
    wd.keys(Keys.F9)
    wd.wait_until(lambda: "请填写" in wd.find("#log-form").text, 5, message="the empty entry refused")
    wd.active_element().send_keys("轮椅 6 台，平车 2 台")
    wd.keys(Keys.ENTER)
    focused(wd, "log-open")
    wd.active_element().send_keys("3 号诊室空调报修未回复")
    wd.keys(Keys.ENTER)
    focused(wd, "log-taker")
    wd.keys(Keys.ARROW_DOWN)
    wd.wait_until(lambda: wd.execute("return document.getElementById('log-taker').value") != "", 5, message="a taker chosen")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: len(entries(wd)) == 1, 10, message="the handover listed")
    first = entries(wd)[0]
    assert "轮椅 6 台" in first["text"] and "3 号诊室空调" in first["text"], first
    # A correction: a new entry naming the first and why; the first stays, marked.
    wd.execute("document.querySelector('#log-list .log-correct').click()")
    focused(wd, "log-body", "the entry brought back to be corrected")
    wd.execute("const b = document.getElementById('log-body'); b.value = '轮椅 5 台，平车 2 台';")
    wd.execute("document.getElementById('log-taker').focus()")
    wd.keys(Keys.ARROW_DOWN)
    wd.keys(Keys.ENTER)
    focused(wd, "log-reason")
    wd.active_element().send_keys("轮椅数量写错")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: len(entries(wd)) == 2, 10, message="the correction listed")
    now = entries(wd)
    assert not now[0]["corrected"] and "轮椅 5 台" in now[0]["text"] and "轮椅数量写错" in now[0]["text"], now
    assert now[1]["corrected"] and now[1]["id"] == first["id"] and "轮椅 6 台" in now[1]["text"], now
    snap(wd, "guide-handover-corrected")
    wd.keys(Keys.ESCAPE)
    wd.wait_for("#guide-worklog")
    wd.find("#guide-worklog").click()
    wd.wait_for("#guide-log")
    focused(wd, "log-category")
    wd.keys(Keys.ARROW_DOWN)
    wd.keys(Keys.ENTER)
    focused(wd, "log-body")
    wd.active_element().send_keys("为一位外地患者解答医保报销")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: len(entries(wd)) == 1, 10, message="the work-log entry listed")
    assert "咨询" in entries(wd)[0]["text"]
