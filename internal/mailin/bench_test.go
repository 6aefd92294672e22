package mailin_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"opsdesk/internal/iam"
	"opsdesk/internal/mailin"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestIntakeThousand measures the target "IMAP intake of 1,000 messages into tickets: ≤ 30 s": a
// thousand messages (a tenth from known users, the rest from strangers, some with a reply quoted)
// wait in the in-process IMAP server, and one PollOnce takes them all in. Run with
//
//	OPSDESK_BENCH=1 go test -run TestIntakeThousand -v ./internal/mailin/
//
// (and OPSDESK_TEST_POSTGRES_DSN set for PostgreSQL).
func TestIntakeThousand(t *testing.T) {
	if os.Getenv("OPSDESK_BENCH") != "1" {
		t.Skip("set OPSDESK_BENCH=1 to measure the intake of 1,000 messages")
	}
	const total, target = 1000, 30 * time.Second
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		for i := range total / 10 {
			u := &iam.User{Username: fmt.Sprintf("user%03d", i), Name: fmt.Sprintf("用户%03d", i),
				Email: fmt.Sprintf("user%03d@corp.cn", i), OrgUnitID: e.root.ID}
			if err := (store.IAM{DB: db}).CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		box := startIMAP(t, mailin.TLSNone)
		e.addMailbox(box)
		raws := make([][]byte, total)
		for i := range raws {
			from := fmt.Sprintf("外部联系人%d <contact%04d@partner.com>", i, i)
			if i%10 == 0 {
				from = fmt.Sprintf("user%03d@corp.cn", i/10)
			}
			raws[i] = msg(from, fmt.Sprintf("第 %d 号问题：系统无法访问", i),
				"您好，\n系统从今天上午起无法访问，错误代码 502。\n请尽快处理。\n\n-----Original Message-----\n> 以前的邮件")
		}
		box.append(t, raws...)
		start := time.Now()
		n, err := e.poller(box).PollOnce(ctx, e.mailbox.ID)
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if n != total || e.ticketCount() != total {
			t.Fatalf("took in %d, %d tickets", n, e.ticketCount())
		}
		t.Logf("%s: %d messages polled into tickets in %v (%.1f ms each)", db.Driver, total, took.Round(time.Millisecond),
			float64(took.Microseconds())/1000/total)
		if took > target {
			t.Errorf("took %v, the target is %v", took, target)
		}
	})
}
