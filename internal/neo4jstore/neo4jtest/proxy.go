package neo4jtest

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"
)

// Proxy forwards TCP connections to the real Neo4j and can cut them, so a
// test can take "Neo4j" away and bring it back without restarting it. It
// can also hold back what clients send, so a test knows a query is in
// flight, and for as long as it likes.
type Proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
	gate   chan struct{} // while non-nil, client bytes wait for it to close
	held   chan struct{}
}

// StartProxy listens on a free loopback port in front of the test Neo4j.
func StartProxy(tb testing.TB) *Proxy {
	tb.Helper()
	uri := Config(tb).URI
	target := uri[strings.Index(uri, "://")+3:]
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("proxy listen: %v", err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]bool{}, held: make(chan struct{}, 1)}
	go p.serve()
	tb.Cleanup(func() { ln.Close(); p.Release(); p.SetDown(true) })
	return p
}

// URI is the bolt URI of the proxy.
func (p *Proxy) URI() string { return "bolt://" + p.ln.Addr().String() }

// SetDown cuts every open connection and refuses new ones while down.
func (p *Proxy) SetDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			c.Close()
		}
		clear(p.conns)
	}
}

// Hold stops passing on what clients send to Neo4j until Release; the
// connections stay open. Held tells when something was held back.
func (p *Proxy) Hold() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gate == nil {
		p.gate = make(chan struct{})
	}
}

// Release passes on everything held back, and what comes after.
func (p *Proxy) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gate != nil {
		close(p.gate)
		p.gate = nil
	}
}

// Held receives when a client sent something that Hold is holding back:
// from then on, that client's request is provably in flight.
func (p *Proxy) Held() <-chan struct{} { return p.held }

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns[c], p.conns[up] = true, true
		p.mu.Unlock()
		go pipe(c, up)
		go p.forward(up, c)
	}
}

// forward copies what a client sends to Neo4j, waiting at the gate while
// the proxy holds.
func (p *Proxy) forward(up, client net.Conn) {
	defer up.Close()
	defer client.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			p.mu.Lock()
			gate := p.gate
			p.mu.Unlock()
			if gate != nil {
				select {
				case p.held <- struct{}{}:
				default:
				}
				<-gate
			}
			if _, err := up.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func pipe(dst, src net.Conn) {
	io.Copy(dst, src)
	dst.Close()
	src.Close()
}
