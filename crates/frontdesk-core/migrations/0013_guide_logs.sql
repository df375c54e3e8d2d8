-- 0013: the guide desk's own records (manual 3.2.4): the shift handover log (交班记录 — what
-- was handed over, the matters still open, who handed over and who took over) and the daily
-- work log (工作日志). Kept append-only: a correction is a new entry naming the entry it
-- corrects and why. Never edit once shipped.

CREATE TABLE guide_log (
    id                INTEGER PRIMARY KEY,
    kind              TEXT    NOT NULL CHECK (kind IN ('handover', 'work')),
    business_date     TEXT    NOT NULL,
    at                INTEGER NOT NULL,
    written_by        INTEGER NOT NULL REFERENCES staff (id),
    -- handover: what was handed over; work: the entry
    body              TEXT    NOT NULL,
    -- handover: the matters still open
    open_matters      TEXT    NOT NULL,
    -- handover: who took over
    taken_by          INTEGER REFERENCES staff (id),
    -- work: 咨询, 引导, 陪诊, 轮椅/推车, 异常情况, 其他
    category          TEXT,
    corrects_id       INTEGER REFERENCES guide_log (id),
    correction_reason TEXT,
    CHECK (kind = 'work' OR taken_by IS NOT NULL),
    CHECK ((corrects_id IS NULL) = (correction_reason IS NULL))
);
CREATE INDEX guide_log_day ON guide_log (kind, business_date, id);
CREATE INDEX guide_log_corrects ON guide_log (corrects_id);

CREATE TRIGGER guide_log_append_only_u BEFORE UPDATE ON guide_log
BEGIN
    SELECT RAISE(ABORT, 'guide_log is append-only: a correction is a new entry');
END;
CREATE TRIGGER guide_log_append_only_d BEFORE DELETE ON guide_log
BEGIN
    SELECT RAISE(ABORT, 'guide_log is append-only: a correction is a new entry');
END;
