-- 0009: complaints (投诉处理) and what they stand on — the hospital's staff directory (人员名录,
-- not the app's accounts: doctors are in it, nurses, guides and cashiers are added), the
-- complaint categories, the deadline tiers, the working calendar (holidays and 调休补班 make-up
-- days: data, since no library knows the State Council's yearly schedule), the cases and each
-- step of their handling. Never edit once shipped.
-- The default categories and tiers, and the directory entries of the doctors on file, are
-- written by the step after this SQL (`complaint::seed`), recorded in the log; a new store gets
-- them with its hospital.

CREATE TABLE person (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('doctor', 'nurse', 'guide', 'cashier', 'service', 'other')),
    department_id INTEGER REFERENCES department (id),
    -- A doctor's entry follows the doctor (created and renamed with it).
    doctor_id     INTEGER UNIQUE REFERENCES doctor (id),
    active        INTEGER NOT NULL CHECK (active IN (0, 1))
);

CREATE TABLE complaint_category (
    id     INTEGER PRIMARY KEY,
    code   TEXT    NOT NULL UNIQUE,
    name   TEXT    NOT NULL UNIQUE,
    active INTEGER NOT NULL CHECK (active IN (0, 1))
);

-- Deadlines in working days: acknowledge, and give the complainant the outcome.
CREATE TABLE complaint_tier (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    ack_days      INTEGER NOT NULL CHECK (ack_days BETWEEN 0 AND 60),
    feedback_days INTEGER NOT NULL CHECK (feedback_days BETWEEN 0 AND 120)
);

-- A date that is not what its weekday says: a holiday (working = 0) or a make-up working day
-- on a weekend (working = 1). Every other Monday–Friday works, every Saturday and Sunday not.
CREATE TABLE calendar_day (
    id      INTEGER PRIMARY KEY,
    date    TEXT    NOT NULL UNIQUE,
    working INTEGER NOT NULL CHECK (working IN (0, 1)),
    name    TEXT    NOT NULL
);

CREATE TABLE complaint (
    id              INTEGER PRIMARY KEY,
    number          TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('complaint', 'suggestion', 'praise')),
    received_at     INTEGER NOT NULL,
    -- The business date it was received on, in the hospital's zone: deadlines count from it.
    received_date   TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    patient_id      INTEGER REFERENCES patient (id),
    complainant     TEXT,
    anonymous       INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    contact         TEXT,
    category_id     INTEGER REFERENCES complaint_category (id),
    department_id   INTEGER REFERENCES department (id),
    person_id       INTEGER REFERENCES person (id),
    description     TEXT    NOT NULL,
    request         TEXT    NOT NULL,
    severity        TEXT    NOT NULL CHECK (severity IN ('normal', 'serious', 'severe')),
    tier_id         INTEGER NOT NULL REFERENCES complaint_tier (id),
    state           TEXT    NOT NULL,
    taken_by        INTEGER NOT NULL REFERENCES staff (id),
    -- 首诉负责制: the person who took it, until it is handed on.
    owner_id        INTEGER NOT NULL REFERENCES staff (id),
    ack_due         TEXT    NOT NULL,
    feedback_due    TEXT    NOT NULL,
    -- The deadline the case is measured against now (ack_due until acknowledged).
    due             TEXT    NOT NULL,
    acknowledged_at INTEGER,
    notified_at     INTEGER,
    closed_at       INTEGER,
    -- 投诉是否成立: NULL until the validity check.
    upheld          INTEGER CHECK (upheld IN (0, 1)),
    -- 满意/不满意 as the complainant said; NULL when no feedback was given.
    satisfied       INTEGER CHECK (satisfied IN (0, 1)),
    updated_at      INTEGER NOT NULL
);
-- The list: one state by deadline, and every open case by deadline.
CREATE INDEX complaint_state_due ON complaint (state, due, id);
CREATE INDEX complaint_open_due ON complaint (due, id) WHERE closed_at IS NULL;
CREATE INDEX complaint_received ON complaint (received_date);
CREATE INDEX complaint_closed ON complaint (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX complaint_patient ON complaint (patient_id) WHERE patient_id IS NOT NULL;

-- The departments handling a case (确定投诉处理部门).
CREATE TABLE complaint_department (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaint (id),
    department_id INTEGER NOT NULL REFERENCES department (id),
    UNIQUE (complaint_id, department_id)
);

-- Each step of a case: who, when, from which state to which, the note and the step's fields.
CREATE TABLE complaint_step (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaint (id),
    action       TEXT    NOT NULL,
    from_state   TEXT    NOT NULL,
    to_state     TEXT    NOT NULL,
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    at           INTEGER NOT NULL,
    note         TEXT    NOT NULL,
    detail       TEXT    NOT NULL
);
CREATE INDEX complaint_step_case ON complaint_step (complaint_id, id);

-- A closed case and its history are the complaint register: never rewritten.
CREATE TRIGGER complaint_closed_is_final BEFORE UPDATE ON complaint WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed complaint is final');
END;
CREATE TRIGGER complaint_never_deleted BEFORE DELETE ON complaint
BEGIN
    SELECT RAISE(ABORT, 'complaints are never deleted');
END;
CREATE TRIGGER complaint_step_append_only_u BEFORE UPDATE ON complaint_step
BEGIN
    SELECT RAISE(ABORT, 'complaint_step is append-only');
END;
CREATE TRIGGER complaint_step_append_only_d BEFORE DELETE ON complaint_step
BEGIN
    SELECT RAISE(ABORT, 'complaint_step is append-only');
END;
CREATE TRIGGER complaint_department_append_only_u BEFORE UPDATE ON complaint_department
BEGIN
    SELECT RAISE(ABORT, 'complaint_department is append-only');
END;
CREATE TRIGGER complaint_department_append_only_d BEFORE DELETE ON complaint_department
BEGIN
    SELECT RAISE(ABORT, 'complaint_department is append-only');
END;
