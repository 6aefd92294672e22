// Package bench drives the outbox sender (notify.Sender) end to end: the real store on SQLite and
// PostgreSQL, the real webhook driver, and a receiver listening on the loopback interface. Its
// tests check delivery, back-off, dead letters and what a stop or a crash in the middle of a batch
// leaves behind; its throughput test measures messages per second (OPSDESK_BENCH=1).
package bench
