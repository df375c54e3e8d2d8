-- 0008: indexes for the reads of today's work that scanned the whole history. Never edit once
-- shipped. Each key grows with time (a new shift, registration or receipt has the highest id),
-- so the write path adds its entries at the right edge of each index.
-- A shift's registrations (the shift strip's count on every registration and status refresh,
-- 日结's unpaid check, the daily report's tallies): from this index alone, instead of reading
-- every registration of every year.
CREATE INDEX registration_shift_status ON registration (shift_id, status);
-- A shift's receipts in series order (日结's receipt reconciliation), without reading every
-- receipt of the desk's series.
CREATE INDEX receipt_shift ON receipt (shift_id, desk, seq);
-- A registration's receipt (today's list looks it up for every row, and 退号 and 换号 void it).
CREATE INDEX receipt_registration ON receipt (registration_id);
-- A receipt's payment lines (the receipt printed after every registration).
CREATE INDEX ledger_receipt ON ledger (receipt_id);
-- A shift's reprints (日结's receipt reconciliation).
CREATE INDEX receipt_print_shift ON receipt_print (shift_id);
