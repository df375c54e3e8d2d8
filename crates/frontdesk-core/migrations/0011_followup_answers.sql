-- 0011: what a reached call brings (客户回访, manual 1.3.7): the patient's satisfaction per
-- aspect and their words, the concerns referred to a department with its answer (客户异议处理),
-- the delay of a second follow-up, and the supervisors' spot-checks of completed calls (抽查,
-- 质量检查记录本). Never edit once shipped.

-- A second follow-up (二次回访) is due this many days after the call that asked for it.
ALTER TABLE followup_setting ADD COLUMN second_days INTEGER NOT NULL DEFAULT 3
    CHECK (second_days BETWEEN 0 AND 90);

-- The closed calls of a period (spot-checks, rates, the register), newest first.
CREATE INDEX followup_closed ON followup (closed_at, id) WHERE closed_at IS NOT NULL;

-- One per reached call. An aspect not asked about (nursing, for an outpatient) is NULL.
CREATE TABLE followup_answer (
    id           INTEGER PRIMARY KEY,
    followup_id  INTEGER NOT NULL UNIQUE REFERENCES followup (id),
    attempt_id   INTEGER NOT NULL UNIQUE REFERENCES followup_attempt (id),
    registration TEXT CHECK (registration IN ('satisfied', 'neutral', 'dissatisfied')),
    guide        TEXT CHECK (guide IN ('satisfied', 'neutral', 'dissatisfied')),
    doctor       TEXT CHECK (doctor IN ('satisfied', 'neutral', 'dissatisfied')),
    nursing      TEXT CHECK (nursing IN ('satisfied', 'neutral', 'dissatisfied')),
    environment  TEXT CHECK (environment IN ('satisfied', 'neutral', 'dissatisfied')),
    overall      TEXT NOT NULL CHECK (overall IN ('satisfied', 'neutral', 'dissatisfied')),
    words        TEXT NOT NULL,
    -- 下次回访计划: the date of the next call the patient agreed to, and why.
    next_on      TEXT,
    next_note    TEXT NOT NULL,
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    at           INTEGER NOT NULL
);

-- 客户异议: a concern raised on a call, referred to a department, and that department's answer.
-- Raised as a complaint, it names the complaint (and the complaint's page names the call).
CREATE TABLE followup_concern (
    id            INTEGER PRIMARY KEY,
    followup_id   INTEGER NOT NULL REFERENCES followup (id),
    department_id INTEGER REFERENCES department (id),
    what          TEXT    NOT NULL,
    raised_by     INTEGER NOT NULL REFERENCES staff (id),
    raised_at     INTEGER NOT NULL,
    answer        TEXT,
    answered_by   INTEGER REFERENCES staff (id),
    answered_at   INTEGER,
    complaint_id  INTEGER UNIQUE REFERENCES complaint (id)
);
CREATE INDEX followup_concern_of ON followup_concern (followup_id);
CREATE INDEX followup_concern_waiting ON followup_concern (raised_at) WHERE answered_at IS NULL;

-- 抽查: a draw of completed follow-ups for a period. The seed and the rule are kept, so the
-- same draw can be made again and shown to be the one recorded.
CREATE TABLE spot_check (
    id          INTEGER PRIMARY KEY,
    period_from TEXT    NOT NULL,
    period_to   TEXT    NOT NULL,
    rule        TEXT    NOT NULL CHECK (rule IN ('count', 'percent')),
    amount      INTEGER NOT NULL CHECK (amount >= 1),
    seed        TEXT    NOT NULL,
    population  INTEGER NOT NULL CHECK (population >= 0),
    drawn_by    INTEGER NOT NULL REFERENCES staff (id),
    drawn_at    INTEGER NOT NULL,
    done_at     INTEGER
);

-- One follow-up drawn, and what calling the patient back found (a quality-check record).
CREATE TABLE spot_check_item (
    id            INTEGER PRIMARY KEY,
    spot_check_id INTEGER NOT NULL REFERENCES spot_check (id),
    followup_id   INTEGER NOT NULL REFERENCES followup (id),
    rank          INTEGER NOT NULL CHECK (rank >= 1),
    result        TEXT CHECK (result IN ('confirmed', 'discrepancy')),
    note          TEXT    NOT NULL,
    checked_by    INTEGER REFERENCES staff (id),
    checked_at    INTEGER,
    UNIQUE (spot_check_id, followup_id),
    UNIQUE (spot_check_id, rank)
);
CREATE INDEX spot_check_item_followup ON spot_check_item (followup_id);

CREATE TRIGGER followup_answer_append_only_u BEFORE UPDATE ON followup_answer
BEGIN
    SELECT RAISE(ABORT, 'followup_answer is append-only');
END;
CREATE TRIGGER followup_answer_append_only_d BEFORE DELETE ON followup_answer
BEGIN
    SELECT RAISE(ABORT, 'followup_answer is append-only');
END;
-- A concern's words and referral are kept as raised; its answer, once recorded, and its
-- complaint, once raised, are final.
CREATE TRIGGER followup_concern_kept BEFORE UPDATE ON followup_concern
WHEN NEW.followup_id IS NOT OLD.followup_id OR NEW.department_id IS NOT OLD.department_id
  OR NEW.what IS NOT OLD.what OR NEW.raised_by IS NOT OLD.raised_by
  OR NEW.raised_at IS NOT OLD.raised_at
  OR (OLD.answered_at IS NOT NULL AND (NEW.answer IS NOT OLD.answer
      OR NEW.answered_by IS NOT OLD.answered_by OR NEW.answered_at IS NOT OLD.answered_at))
  OR (OLD.complaint_id IS NOT NULL AND NEW.complaint_id IS NOT OLD.complaint_id)
BEGIN
    SELECT RAISE(ABORT, 'a concern is kept as raised and answered');
END;
CREATE TRIGGER followup_concern_never_deleted BEFORE DELETE ON followup_concern
BEGIN
    SELECT RAISE(ABORT, 'concerns are never deleted');
END;
-- A draw is kept as drawn: its period, rule, seed and population, and which follow-up holds
-- which rank; only its end (done_at) and each item's result are written later, once.
CREATE TRIGGER spot_check_kept BEFORE UPDATE ON spot_check
WHEN NEW.period_from IS NOT OLD.period_from OR NEW.period_to IS NOT OLD.period_to
  OR NEW.rule IS NOT OLD.rule OR NEW.amount IS NOT OLD.amount OR NEW.seed IS NOT OLD.seed
  OR NEW.population IS NOT OLD.population OR NEW.drawn_by IS NOT OLD.drawn_by
  OR NEW.drawn_at IS NOT OLD.drawn_at
BEGIN
    SELECT RAISE(ABORT, 'a spot-check is kept as drawn');
END;
CREATE TRIGGER spot_check_item_kept BEFORE UPDATE ON spot_check_item
WHEN NEW.spot_check_id IS NOT OLD.spot_check_id OR NEW.followup_id IS NOT OLD.followup_id
  OR NEW.rank IS NOT OLD.rank
BEGIN
    SELECT RAISE(ABORT, 'a spot-check is kept as drawn');
END;
CREATE TRIGGER spot_check_done_is_final BEFORE UPDATE ON spot_check WHEN OLD.done_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a finished spot-check is final');
END;
CREATE TRIGGER spot_check_never_deleted BEFORE DELETE ON spot_check
BEGIN
    SELECT RAISE(ABORT, 'spot-checks are never deleted');
END;
CREATE TRIGGER spot_check_item_checked_is_final BEFORE UPDATE ON spot_check_item
WHEN OLD.result IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a checked spot-check item is final');
END;
CREATE TRIGGER spot_check_item_never_deleted BEFORE DELETE ON spot_check_item
BEGIN
    SELECT RAISE(ABORT, 'spot-checks are never deleted');
END;
