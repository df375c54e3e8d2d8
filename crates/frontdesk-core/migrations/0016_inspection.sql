-- 0016: the inspection plan (工作检查方案, manual section 5) and its record book (质量检查记录本,
-- RAFS-QR-06-004, kept two years). Each item of the plan is who or what is checked, on what, how,
-- how often (daily, weekly, monthly) and by whom (the customer-service supervisor or the
-- department head); the plan is written by the step after this SQL (`quality::inspection::
-- seed_existing`). A check is recorded once for an item's period, append-only: a correction is
-- a new record naming the one it corrects and why. An item is never deleted (it may be set
-- inactive). Never edit once shipped.

CREATE TABLE inspection_item (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL UNIQUE,
    -- 被检查部门或个人, 检查项目, 检查内容, 方法
    subject    TEXT    NOT NULL,
    item       TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    method     TEXT    NOT NULL,
    frequency  TEXT    NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
    checker    TEXT    NOT NULL CHECK (checker IN ('supervisor', 'head')),
    -- Checks fall due from this day's period on.
    from_date  TEXT    NOT NULL,
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL
);

CREATE TABLE quality_check (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES inspection_item (id),
    period_from TEXT    NOT NULL,
    period_to   TEXT    NOT NULL,
    checked_on  TEXT    NOT NULL,
    result      TEXT    NOT NULL CHECK (result IN ('ok', 'problem')),
    findings    TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    corrects_id INTEGER REFERENCES quality_check (id),
    reason      TEXT,
    checked_by  INTEGER NOT NULL REFERENCES staff (id),
    recorded_at INTEGER NOT NULL,
    CHECK ((corrects_id IS NULL) = (reason IS NULL))
);
CREATE INDEX quality_check_item ON quality_check (item_id, period_from, id);
CREATE INDEX quality_check_on ON quality_check (checked_on, id);
CREATE INDEX spot_check_done ON spot_check (done_at) WHERE done_at IS NOT NULL;

CREATE TRIGGER inspection_item_never_deleted BEFORE DELETE ON inspection_item
BEGIN
    SELECT RAISE(ABORT, 'an inspection item is never deleted');
END;
CREATE TRIGGER quality_check_append_only_u BEFORE UPDATE ON quality_check
BEGIN
    SELECT RAISE(ABORT, 'quality_check is append-only: a correction is a new record');
END;
CREATE TRIGGER quality_check_append_only_d BEFORE DELETE ON quality_check
BEGIN
    SELECT RAISE(ABORT, 'quality_check is append-only: a correction is a new record');
END;
