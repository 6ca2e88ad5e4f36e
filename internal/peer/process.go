package peer

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Server is a GraphQL server this package started as a process of its own:
// coopgraph serve or the peer.
type Server struct {
	Name string
	URL  string // its GraphQL endpoint
	cmd  *exec.Cmd
	out  *tailBuffer
	done chan struct{} // closed when the process has exited
	err  error         // how it exited, once done is closed
}

// FreePort is a loopback port nothing listens on now.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// StartCoopgraph runs `exe serve` on a free loopback port with env (the
// NEO4J_* settings among it), logging warnings only, as the peer logs no
// request, and waits until /readyz answers. Rate limits do not apply to
// loopback callers unless -rate-limit-loopback is given.
func StartCoopgraph(ctx context.Context, exe string, env []string) (*Server, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(exe, "serve", "-addr", addr, "-log-level", "warn")
	cmd.Env = env
	s, err := start("coopgraph", "http://"+addr+"/graphql", cmd)
	if err != nil {
		return nil, err
	}
	ready := func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/readyz", nil)
		return expectOK(req)
	}
	if err := s.waitReady(ctx, ready, 2*time.Minute); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// StartPeer runs the peer's server script with node on a free loopback
// port, with env (the NEO4J_* settings among it), and waits until it
// answers a query.
func StartPeer(ctx context.Context, node, script string, env []string) (*Server, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	input, err := newAppInput()
	if err != nil {
		return nil, err
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/"
	cmd := exec.Command(node, script)
	cmd.Env = append(env, "PEER_PORT="+strconv.Itoa(port), "NODE_ENV=production")
	cmd.Stdin = bytes.NewReader(input)
	s, err := start("peer", url, cmd)
	if err != nil {
		if missing(err) {
			return nil, fmt.Errorf("the peer needs Node.js 20 or later: %q not found (-node)", node)
		}
		return nil, err
	}
	ready := func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(`{"query":"{ __typename }"}`))
		req.Header.Set("Content-Type", "application/json")
		return expectOK(req)
	}
	if err := s.waitReady(ctx, ready, time.Minute); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func expectOK(req *http.Request) error {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func start(name, url string, cmd *exec.Cmd) (*Server, error) {
	s := &Server{Name: name, URL: url, cmd: cmd, out: &tailBuffer{max: 16 << 10}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = s.out, s.out
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	return s, nil
}

// waitReady polls ready until it succeeds, the process exits or the
// timeout passes.
func (s *Server) waitReady(ctx context.Context, ready func(context.Context) error, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last error
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		last = ready(pctx)
		cancel()
		if last == nil {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("%s exited before it was ready (%v):\n%s", s.Name, s.err, s.Output())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s was not ready after %s (%v):\n%s", s.Name, timeout, last, s.Output())
		}
	}
}

// Stop ends the process: SIGTERM, and SIGKILL if it has not exited 10 s later.
func (s *Server) Stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// Exited reports how the process ended, nil while it runs.
func (s *Server) Exited() error {
	select {
	case <-s.done:
		return fmt.Errorf("%s exited (%v):\n%s", s.Name, s.err, s.Output())
	default:
		return nil
	}
}

// PeakRSS is the process's peak resident memory in bytes (VmHWM), 0 where
// unknown.
func (s *Server) PeakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	return vmHWM(b)
}

// vmHWM reads the VmHWM line of a /proc/PID/status file, in bytes.
func vmHWM(status []byte) int64 {
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// Output is the end of what the process printed.
func (s *Server) Output() string { return s.out.String() }

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.b))
}
