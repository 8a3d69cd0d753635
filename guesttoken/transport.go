package guesttoken

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxResponseBytes bounds how much of an answer is read. Tokens are a few
// kilobytes at most; the bound keeps a misbehaving proxy from filling memory.
const maxResponseBytes = 1 << 20

// request is one API call. It holds the encoded body rather than a reader so
// that every attempt can send it again.
type request struct {
	method string
	// path is appended to the base URL, which may carry a path prefix of its
	// own (a BI host served under /superset, say).
	path   string
	header http.Header
	body   []byte
}

// endpoint names the call in errors; it is what a reader looks up in the
// vendor's API documentation.
func (r request) endpoint() string {
	return r.method + " " + r.path
}

// transport sends requests to one BI host with the configured timeouts and
// retry policy.
type transport struct {
	cfg     config
	baseURL string
}

// response is a 2xx answer, kept whole so that a malformed body can be
// reported with its status.
type response struct {
	status int
	body   []byte
}

// do sends r, retrying transient failures, and returns the 2xx answer. A
// non-2xx answer is returned as an *APIError.
func (t *transport) do(ctx context.Context, r request) (response, error) {
	for attempt := 1; ; attempt++ {
		resp, hdr, err := t.attempt(ctx, r)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return response{}, t.wrap(r, err)
		}
		if !retryable(err) || attempt >= t.cfg.maxAttempts {
			return response{}, t.giveUp(r, attempt, err)
		}
		if waitErr := sleep(ctx, t.cfg.delay(attempt, hdr)); waitErr != nil {
			// Both are kept: the last failure is why we were waiting, the
			// caller's deadline is why we stopped.
			return response{}, fmt.Errorf("%w; stopped waiting to retry: %w", t.wrap(r, err), waitErr)
		}
	}
}

// wrap names the endpoint on errors that do not already carry it.
func (t *transport) wrap(r request, err error) error {
	var apiErr *APIError
	var respErr *ResponseError
	if errors.As(err, &apiErr) || errors.As(err, &respErr) {
		return err
	}
	return fmt.Errorf("guesttoken: %s: %w", r.endpoint(), err)
}

// giveUp reports the final failure, saying how many attempts were made when
// there was more than one, so a flapping host is visible in logs.
func (t *transport) giveUp(r request, attempts int, err error) error {
	if attempts == 1 {
		return t.wrap(r, err)
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return err
	}
	return fmt.Errorf("guesttoken: %s: giving up after %d attempts: %w", r.endpoint(), attempts, err)
}

// attempt performs one exchange under the per-attempt timeout. It returns the
// answer's headers alongside an error so the retry loop can honour
// Retry-After.
func (t *transport) attempt(ctx context.Context, r request) (response, http.Header, error) {
	actx, cancel := context.WithTimeout(ctx, t.cfg.attemptTimeout)
	defer cancel()

	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, t.baseURL+r.path, body)
	if err != nil {
		return response{}, nil, permanent{err}
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if t.cfg.userAgent != "" {
		req.Header.Set("User-Agent", t.cfg.userAgent)
	}

	resp, err := t.cfg.httpClient.Do(req)
	if err != nil {
		return response{}, nil, t.attemptErr(ctx, actx, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return response{}, resp.Header, t.attemptErr(ctx, actx, fmt.Errorf("reading the answer: %w", err))
	}
	tooLarge := len(data) > maxResponseBytes
	if tooLarge {
		data = data[:maxResponseBytes]
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return response{}, resp.Header, newAPIError(r.endpoint(), resp.StatusCode, data)
	}
	if tooLarge {
		return response{}, resp.Header, &ResponseError{Endpoint: r.endpoint(), Status: resp.StatusCode, Body: data,
			Reason: fmt.Sprintf("larger than %d bytes", maxResponseBytes)}
	}
	return response{status: resp.StatusCode, body: data}, resp.Header, nil
}

// attemptErr makes an attempt that ran out of its own time say so, since
// "context deadline exceeded" alone reads as if the caller's deadline passed.
func (t *transport) attemptErr(parent, attempt context.Context, err error) error {
	if parent.Err() == nil && attempt.Err() != nil {
		return fmt.Errorf("no complete answer within %s: %w", t.cfg.attemptTimeout, err)
	}
	return err
}

// normalizeBaseURL checks that raw is an absolute http(s) URL and drops the
// trailing slash, so that joining it with "/api/..." gives one slash.
func normalizeBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("guesttoken: base URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("guesttoken: base URL %q: scheme must be http or https", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("guesttoken: base URL %q: no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("guesttoken: base URL %q: must not have a query or fragment", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}
