package mailin_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"opsdesk/internal/mailin"
)

// imapBox is an in-process IMAP server (go-imap's memory backend) on 127.0.0.1 with the user
// desk/secret and an INBOX, speaking TLS, STARTTLS or plain text as mode says.
type imapBox struct {
	addr      string
	port      int
	mode      string
	clientTLS *tls.Config // trusts the server's certificate
}

func startIMAP(t testing.TB, mode string) *imapBox {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("desk", "secret")
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	serverTLS, clientTLS := testCert(t)
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: mode == mailin.TLSNone,
		Logger:       discardLogger{},
	}
	if mode == mailin.TLSStart {
		opts.TLSConfig = serverTLS
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if mode == mailin.TLSImplicit {
		ln = tls.NewListener(ln, serverTLS)
	}
	srv := imapserver.New(opts)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return &imapBox{addr: ln.Addr().String(), port: ln.Addr().(*net.TCPAddr).Port, mode: mode, clientTLS: clientTLS}
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}

// client logs in as desk, over the box's own mode.
func (b *imapBox) client(t testing.TB) *imapclient.Client {
	t.Helper()
	opts := &imapclient.Options{TLSConfig: b.clientTLS}
	var c *imapclient.Client
	var err error
	switch b.mode {
	case mailin.TLSImplicit:
		c, err = imapclient.DialTLS(b.addr, opts)
	case mailin.TLSStart:
		c, err = imapclient.DialStartTLS(b.addr, opts)
	default:
		c, err = imapclient.DialInsecure(b.addr, opts)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login("desk", "secret").Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// append stores messages in INBOX over IMAP APPEND, as a mail server delivering them would.
func (b *imapBox) append(t testing.TB, raws ...[]byte) {
	t.Helper()
	if len(raws) == 0 {
		return
	}
	c := b.client(t)
	defer c.Close()
	for _, raw := range raws {
		cmd := c.Append("INBOX", int64(len(raw)), nil)
		if _, err := cmd.Write(raw); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
}

// recreate deletes and creates INBOX again: the server gives it a new UIDVALIDITY and numbers its
// messages from 1.
func (b *imapBox) recreate(t testing.TB) {
	t.Helper()
	c := b.client(t)
	defer c.Close()
	if err := c.Delete("INBOX").Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Create("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
}

// unseen counts the INBOX messages without the \Seen flag.
func (b *imapBox) unseen(t testing.TB) int {
	t.Helper()
	c := b.client(t)
	defer c.Close()
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return len(data.AllUIDs())
}

// testCert makes a self-signed certificate for 127.0.0.1 and a client configuration trusting it.
func testCert(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "imap.test"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return server, &tls.Config{RootCAs: pool}
}
