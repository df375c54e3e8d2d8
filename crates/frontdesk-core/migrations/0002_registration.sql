-- 0002: the registration desk (挂号分诊): patients, their search keys, promotions, appointments,
-- shifts, registrations, receipts and the payment ledger. Never edit once shipped.

ALTER TABLE hospital ADD COLUMN refund_approval_fen INTEGER NOT NULL DEFAULT 5000;
ALTER TABLE hospital ADD COLUMN waiting_alert INTEGER NOT NULL DEFAULT 8;

-- Numbered series: 就诊卡号, receipt numbers per desk.
CREATE TABLE series (
    name TEXT    PRIMARY KEY,
    next INTEGER NOT NULL CHECK (next >= 1)
);

CREATE TABLE patient (
    id            INTEGER PRIMARY KEY,
    card_no       TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    sex           TEXT    NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date    TEXT,
    id_number     TEXT    UNIQUE,
    phone         TEXT,
    address       TEXT    NOT NULL DEFAULT '',
    origin        TEXT    NOT NULL DEFAULT '',
    heard_via     TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    last_visit_at INTEGER
);
CREATE INDEX patient_name_phone ON patient (name, phone);
CREATE INDEX patient_name_birth ON patient (name, birth_date);

-- What search-as-you-type looks up: 'c:' card, 't:' phone, '4:' last four digits, 'd:' ID number,
-- 'n:' name, 'p:' full pinyin, 'i:' pinyin initials (every reading of a polyphonic character).
-- Derived from patient; rebuilt with it.
CREATE TABLE patient_key (
    key        TEXT    NOT NULL,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    PRIMARY KEY (key, patient_id)
) WITHOUT ROWID;

-- 优惠活动: a fixed price or a discount (pay_percent of the fee), valid between two dates.
CREATE TABLE promotion (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('price', 'percent')),
    value       INTEGER NOT NULL CHECK (value >= 0),
    valid_from  TEXT    NOT NULL,
    valid_to    TEXT    NOT NULL,
    max_uses    INTEGER,
    uses        INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL CHECK (active IN (0, 1))
);

-- 班次: a clerk's shift at a desk, opened with a counted float (备用金).
CREATE TABLE shift (
    id           INTEGER PRIMARY KEY,
    clerk_id     INTEGER NOT NULL REFERENCES staff (id),
    desk         TEXT    NOT NULL,
    opened_at    INTEGER NOT NULL,
    float_fen    INTEGER NOT NULL CHECK (float_fen >= 0),
    float_counts TEXT    NOT NULL,
    closed_at    INTEGER
);
CREATE UNIQUE INDEX shift_one_open_per_clerk ON shift (clerk_id) WHERE closed_at IS NULL;

-- 预约: booked by phone or online for a doctor's duty slot.
CREATE TABLE appointment (
    id              INTEGER PRIMARY KEY,
    number          TEXT    NOT NULL UNIQUE,
    patient_id      INTEGER NOT NULL REFERENCES patient (id),
    duty_id         INTEGER NOT NULL REFERENCES duty (id),
    channel         TEXT    NOT NULL CHECK (channel IN ('phone', 'online')),
    status          TEXT    NOT NULL CHECK (status IN ('booked', 'checked_in', 'cancelled')),
    created_at      INTEGER NOT NULL,
    registration_id INTEGER
);
CREATE INDEX appointment_duty ON appointment (duty_id);

CREATE TABLE registration (
    id                   INTEGER PRIMARY KEY,
    patient_id           INTEGER NOT NULL REFERENCES patient (id),
    duty_id              INTEGER NOT NULL REFERENCES duty (id),
    doctor_id            INTEGER NOT NULL REFERENCES doctor (id),
    department_id        INTEGER NOT NULL REFERENCES department (id),
    date                 TEXT    NOT NULL,
    session              TEXT    NOT NULL,
    queue_no             INTEGER NOT NULL CHECK (queue_no >= 1),
    visit_kind           TEXT    NOT NULL CHECK (visit_kind IN ('first', 'return')),
    registration_type_id INTEGER NOT NULL REFERENCES registration_type (id),
    fee_fen              INTEGER NOT NULL CHECK (fee_fen >= 0),
    due_fen              INTEGER NOT NULL CHECK (due_fen >= 0),
    promotion_id         INTEGER REFERENCES promotion (id),
    chief_complaint      TEXT    NOT NULL DEFAULT '',
    referral_source      TEXT    NOT NULL DEFAULT '',
    marketer             TEXT    NOT NULL DEFAULT '',
    appointment_id       INTEGER REFERENCES appointment (id),
    status               TEXT    NOT NULL CHECK (status IN ('waiting', 'seen', 'cancelled', 'changed')),
    clerk_id             INTEGER NOT NULL REFERENCES staff (id),
    shift_id             INTEGER NOT NULL REFERENCES shift (id),
    created_at           INTEGER NOT NULL,
    seen_at              INTEGER,
    ended_at             INTEGER,
    end_reason           TEXT,
    changed_from_id      INTEGER REFERENCES registration (id),
    UNIQUE (duty_id, queue_no)
);
CREATE INDEX registration_patient ON registration (patient_id, created_at);
CREATE INDEX registration_day ON registration (date, session, doctor_id);

-- 收据: numbered from a continuous series per desk; voided on 退号/换号, never deleted.
CREATE TABLE receipt (
    id              INTEGER PRIMARY KEY,
    desk            TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    number          TEXT    NOT NULL UNIQUE,
    registration_id INTEGER NOT NULL REFERENCES registration (id),
    shift_id        INTEGER NOT NULL REFERENCES shift (id),
    clerk_id        INTEGER NOT NULL REFERENCES staff (id),
    amount_fen      INTEGER NOT NULL,
    issued_at       INTEGER NOT NULL,
    voided_at       INTEGER,
    void_reason     TEXT,
    UNIQUE (desk, seq)
);

-- 重打: each reprint of a receipt, counted in the shift of the clerk who printed it.
CREATE TABLE receipt_print (
    id         INTEGER PRIMARY KEY,
    receipt_id INTEGER NOT NULL REFERENCES receipt (id),
    shift_id   INTEGER REFERENCES shift (id),
    clerk_id   INTEGER NOT NULL REFERENCES staff (id),
    at         INTEGER NOT NULL
);
CREATE INDEX receipt_print_receipt ON receipt_print (receipt_id);

-- 账: every payment (+) and refund (−) in fen. Append-only: a correction is a new entry.
CREATE TABLE ledger (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    shift_id        INTEGER NOT NULL REFERENCES shift (id),
    clerk_id        INTEGER NOT NULL REFERENCES staff (id),
    registration_id INTEGER NOT NULL REFERENCES registration (id),
    receipt_id      INTEGER REFERENCES receipt (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('payment', 'refund')),
    method          TEXT    NOT NULL,
    amount_fen      INTEGER NOT NULL,
    tendered_fen    INTEGER,
    change_fen      INTEGER,
    reverses_id     INTEGER REFERENCES ledger (id),
    CHECK ((kind = 'payment' AND amount_fen > 0) OR (kind = 'refund' AND amount_fen < 0))
);
CREATE INDEX ledger_shift ON ledger (shift_id);
CREATE INDEX ledger_registration ON ledger (registration_id);

CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'ledger is append-only');
END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'ledger is append-only');
END;
