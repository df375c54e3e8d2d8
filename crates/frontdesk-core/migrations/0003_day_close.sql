-- 0003: the day close (日结对账): counts per method, the receipt series reconciled, the
-- handover to finance, and the database itself refusing to change a closed shift.
-- Never edit once shipped.

-- A difference above this needs a supervisor's sign-off at the close.
ALTER TABLE hospital ADD COLUMN close_approval_fen INTEGER NOT NULL DEFAULT 1000;

-- A shift left open past its day is continued only with a supervisor's approval.
ALTER TABLE shift ADD COLUMN continued_by INTEGER REFERENCES staff (id);
ALTER TABLE shift ADD COLUMN continued_at INTEGER;

CREATE TABLE shift_close (
    id              INTEGER PRIMARY KEY,
    shift_id        INTEGER NOT NULL UNIQUE REFERENCES shift (id),
    closed_at       INTEGER NOT NULL,
    cash_counts     TEXT    NOT NULL,
    explanation     TEXT    NOT NULL,
    approved_by     INTEGER REFERENCES staff (id),
    receipt_first   TEXT,
    receipt_last    TEXT,
    receipts_issued INTEGER NOT NULL,
    receipts_voided INTEGER NOT NULL,
    reprints        INTEGER NOT NULL,
    receipt_gaps    TEXT    NOT NULL,
    float_fen       INTEGER NOT NULL,
    handover_fen    INTEGER NOT NULL,
    handed_by       INTEGER NOT NULL REFERENCES staff (id),
    received_by     TEXT    NOT NULL,
    handed_at       INTEGER NOT NULL
);

-- Expected (from the ledger) and counted, per method, as they stood at the close.
CREATE TABLE shift_count (
    id           INTEGER PRIMARY KEY,
    shift_id     INTEGER NOT NULL REFERENCES shift (id),
    method       TEXT    NOT NULL,
    expected_fen INTEGER NOT NULL,
    counted_fen  INTEGER NOT NULL,
    UNIQUE (shift_id, method)
);

-- Locked once closed, by the database itself: no app, no SQL tool changes a closed shift
-- quietly. A correction is a new entry in an open shift.
CREATE TRIGGER shift_closed_is_final BEFORE UPDATE ON shift WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'shift is closed');
END;
CREATE TRIGGER shift_never_deleted BEFORE DELETE ON shift
BEGIN
    SELECT RAISE(ABORT, 'shifts are never deleted');
END;
CREATE TRIGGER ledger_not_into_closed_shift BEFORE INSERT ON ledger
WHEN (SELECT closed_at FROM shift WHERE id = NEW.shift_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'shift is closed');
END;
CREATE TRIGGER receipt_not_into_closed_shift BEFORE INSERT ON receipt
WHEN (SELECT closed_at FROM shift WHERE id = NEW.shift_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'shift is closed');
END;
CREATE TRIGGER receipt_of_closed_shift_is_final BEFORE UPDATE ON receipt
WHEN (SELECT closed_at FROM shift WHERE id = OLD.shift_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'shift is closed');
END;
CREATE TRIGGER receipt_never_deleted BEFORE DELETE ON receipt
BEGIN
    SELECT RAISE(ABORT, 'receipts are never deleted');
END;
CREATE TRIGGER receipt_print_append_only_u BEFORE UPDATE ON receipt_print
BEGIN
    SELECT RAISE(ABORT, 'receipt_print is append-only');
END;
CREATE TRIGGER receipt_print_append_only_d BEFORE DELETE ON receipt_print
BEGIN
    SELECT RAISE(ABORT, 'receipt_print is append-only');
END;
CREATE TRIGGER registration_not_into_closed_shift BEFORE INSERT ON registration
WHEN (SELECT closed_at FROM shift WHERE id = NEW.shift_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'shift is closed');
END;
CREATE TRIGGER shift_close_is_final_u BEFORE UPDATE ON shift_close
BEGIN
    SELECT RAISE(ABORT, 'a close is final');
END;
CREATE TRIGGER shift_close_is_final_d BEFORE DELETE ON shift_close
BEGIN
    SELECT RAISE(ABORT, 'a close is final');
END;
CREATE TRIGGER shift_count_is_final_u BEFORE UPDATE ON shift_count
BEGIN
    SELECT RAISE(ABORT, 'a close is final');
END;
CREATE TRIGGER shift_count_is_final_d BEFORE DELETE ON shift_count
BEGIN
    SELECT RAISE(ABORT, 'a close is final');
END;
