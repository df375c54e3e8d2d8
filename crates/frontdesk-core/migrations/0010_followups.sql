-- 0010: follow-up calls (客户回访) — the settings of the work list and of each call's outcome,
-- the discharged inpatients, the follow-ups due, every attempt at a call, and the patients who
-- asked not to be called (拒绝回访). The settings row is written by the step after this SQL
-- (`followup::seed`), recorded in the log; a new store gets it with its hospital. Never edit
-- once shipped.

CREATE TABLE followup_setting (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    -- A first visit (初诊) is due this many days after it; a discharge after this many.
    first_visit_days INTEGER NOT NULL CHECK (first_visit_days BETWEEN 0 AND 90),
    discharge_days   INTEGER NOT NULL CHECK (discharge_days BETWEEN 0 AND 90),
    -- No answer, busy: tried again after this many hours, at most this many attempts.
    retry_hours      INTEGER NOT NULL CHECK (retry_hours BETWEEN 1 AND 720),
    max_attempts     INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 20)
);

-- 出院患者, entered by hand or imported from the HIS.
CREATE TABLE discharge (
    id            INTEGER PRIMARY KEY,
    patient_id    INTEGER NOT NULL REFERENCES patient (id),
    department_id INTEGER REFERENCES department (id),
    admitted_on   TEXT,
    discharged_on TEXT    NOT NULL,
    doctor        TEXT    NOT NULL,
    diagnosis     TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (patient_id, discharged_on)
);

CREATE TABLE followup (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('first_visit', 'discharge', 'second', 'planned')),
    patient_id      INTEGER NOT NULL REFERENCES patient (id),
    registration_id INTEGER UNIQUE REFERENCES registration (id),
    discharge_id    INTEGER UNIQUE REFERENCES discharge (id),
    parent_id       INTEGER REFERENCES followup (id),
    department_id   INTEGER REFERENCES department (id),
    due_date        TEXT    NOT NULL,
    -- When a call not answered comes back on the list (NULL: as soon as it is due).
    next_try_at     INTEGER,
    state           TEXT    NOT NULL CHECK (state IN ('open', 'fix_number', 'reached', 'unreachable', 'refused')),
    attempts        INTEGER NOT NULL CHECK (attempts >= 0),
    created_at      INTEGER NOT NULL,
    closed_at       INTEGER
);
CREATE INDEX followup_open_due ON followup (due_date, id) WHERE closed_at IS NULL;
CREATE INDEX followup_state_due ON followup (state, due_date, id);
CREATE INDEX followup_patient ON followup (patient_id);

-- Every attempt at a call, whatever came of it.
CREATE TABLE followup_attempt (
    id          INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followup (id),
    n           INTEGER NOT NULL CHECK (n >= 1),
    outcome     TEXT    NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'busy', 'wrong_number', 'refused')),
    phone       TEXT,
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    at          INTEGER NOT NULL,
    note        TEXT    NOT NULL,
    UNIQUE (followup_id, n)
);

-- 拒绝回访: the patient is not listed again.
CREATE TABLE patient_no_call (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL UNIQUE REFERENCES patient (id),
    at         INTEGER NOT NULL,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    reason     TEXT    NOT NULL
);

CREATE TRIGGER followup_closed_is_final BEFORE UPDATE ON followup WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed follow-up is final');
END;
CREATE TRIGGER followup_never_deleted BEFORE DELETE ON followup
BEGIN
    SELECT RAISE(ABORT, 'follow-ups are never deleted');
END;
CREATE TRIGGER followup_attempt_append_only_u BEFORE UPDATE ON followup_attempt
BEGIN
    SELECT RAISE(ABORT, 'followup_attempt is append-only');
END;
CREATE TRIGGER followup_attempt_append_only_d BEFORE DELETE ON followup_attempt
BEGIN
    SELECT RAISE(ABORT, 'followup_attempt is append-only');
END;
CREATE TRIGGER patient_no_call_never_deleted BEFORE DELETE ON patient_no_call
BEGIN
    SELECT RAISE(ABORT, 'a refusal of calls is kept');
END;
