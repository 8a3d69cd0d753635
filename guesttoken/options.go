package guesttoken

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Defaults used when no option overrides them. They favour a host backend that
// answers a browser waiting for a token: a few quick attempts rather than a
// long patient wait.
const (
	// DefaultMaxAttempts is how many times one call is tried in total.
	DefaultMaxAttempts = 3
	// DefaultBackoff is the base delay before the second attempt; it doubles
	// after each further failure.
	DefaultBackoff = 200 * time.Millisecond
	// DefaultMaxBackoff caps the delay between two attempts.
	DefaultMaxBackoff = 5 * time.Second
	// DefaultAttemptTimeout bounds one HTTP exchange, body included.
	DefaultAttemptTimeout = 10 * time.Second
	// DefaultTokenTTL is how long an access token is trusted when its expiry
	// cannot be read from it.
	DefaultTokenTTL = 5 * time.Minute
	// DefaultRefreshMargin is how long before its expiry an access token is
	// replaced, so that it does not expire while a request is in flight.
	DefaultRefreshMargin = 30 * time.Second
)

// Option configures a client built by NewSuperset, NewCalabiIQ, NewPreset or
// NewLuzmo. An option that makes no sense for a vendor is ignored by it; each
// option's documentation says where it applies.
type Option func(*config) error

// config is the resolved set of options shared by every client.
type config struct {
	httpClient     *http.Client
	maxAttempts    int
	backoff        time.Duration
	maxBackoff     time.Duration
	attemptTimeout time.Duration
	tokenTTL       time.Duration
	refreshMargin  time.Duration
	csrf           bool
	baseURL        string
	userAgent      string
	// now is replaceable so that expiry logic can be tested without waiting.
	now func() time.Time
}

func defaultConfig() config {
	return config{
		maxAttempts:    DefaultMaxAttempts,
		backoff:        DefaultBackoff,
		maxBackoff:     DefaultMaxBackoff,
		attemptTimeout: DefaultAttemptTimeout,
		tokenTTL:       DefaultTokenTTL,
		refreshMargin:  DefaultRefreshMargin,
		userAgent:      "dashembed-guesttoken",
		now:            time.Now,
	}
}

// buildConfig applies opts over the defaults and reports the first invalid one,
// so that a misconfiguration fails at construction rather than on first use.
func buildConfig(opts []Option) (config, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return config{}, fmt.Errorf("guesttoken: %w", err)
		}
	}
	if cfg.maxBackoff < cfg.backoff {
		cfg.maxBackoff = cfg.backoff
	}
	if cfg.httpClient == nil {
		// Timeouts come from the per-attempt context, so the client itself
		// needs none; a fresh client keeps our cookie jar (for CSRF) out of
		// http.DefaultClient, which other code in the process shares.
		cfg.httpClient = &http.Client{}
	} else {
		// Copy so that adding a cookie jar below never changes a client the
		// caller also uses elsewhere.
		c := *cfg.httpClient
		cfg.httpClient = &c
	}
	return cfg, nil
}

// WithHTTPClient sends every request through c, for proxies, custom TLS or
// instrumentation. The client is copied, never modified; its Timeout, if any,
// applies on top of the per-attempt timeout. When CSRF is enabled and c has no
// cookie jar, the copy gets one.
func WithHTTPClient(c *http.Client) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("WithHTTPClient: nil client")
		}
		cfg.httpClient = c
		return nil
	}
}

// WithRetry sets the total number of attempts per call (1 disables retries)
// and the base delay of the exponential backoff between them. Only network
// errors, timeouts of one attempt, 429 and 5xx answers are retried.
func WithRetry(maxAttempts int, base time.Duration) Option {
	return func(cfg *config) error {
		if maxAttempts < 1 {
			return fmt.Errorf("WithRetry: maxAttempts must be at least 1, got %d", maxAttempts)
		}
		if base < 0 {
			return fmt.Errorf("WithRetry: negative backoff %s", base)
		}
		cfg.maxAttempts = maxAttempts
		cfg.backoff = base
		return nil
	}
}

// WithMaxBackoff caps the delay between two attempts, including a delay the
// server asks for with Retry-After.
func WithMaxBackoff(d time.Duration) Option {
	return func(cfg *config) error {
		if d < 0 {
			return fmt.Errorf("WithMaxBackoff: negative duration %s", d)
		}
		cfg.maxBackoff = d
		return nil
	}
}

// WithAttemptTimeout bounds each HTTP exchange (connect, send, read the whole
// answer). A call's overall deadline comes from its context.
func WithAttemptTimeout(d time.Duration) Option {
	return func(cfg *config) error {
		if d <= 0 {
			return fmt.Errorf("WithAttemptTimeout: duration must be positive, got %s", d)
		}
		cfg.attemptTimeout = d
		return nil
	}
}

// WithTokenTTL sets how long a service access token is trusted when its
// expiry cannot be read from it (Superset and Preset).
func WithTokenTTL(d time.Duration) Option {
	return func(cfg *config) error {
		if d <= 0 {
			return fmt.Errorf("WithTokenTTL: duration must be positive, got %s", d)
		}
		cfg.tokenTTL = d
		return nil
	}
}

// WithRefreshMargin sets how long before its expiry a cached access token is
// replaced (Superset and Preset).
func WithRefreshMargin(d time.Duration) Option {
	return func(cfg *config) error {
		if d < 0 {
			return fmt.Errorf("WithRefreshMargin: negative duration %s", d)
		}
		cfg.refreshMargin = d
		return nil
	}
}

// WithCSRF makes the Superset and CalabiIQ clients fetch a CSRF token and send
// it, with the session cookie, on the guest-token call. Stock Superset needs
// this unless the deployer exempted the endpoint from CSRF protection.
func WithCSRF(enabled bool) Option {
	return func(cfg *config) error {
		cfg.csrf = enabled
		return nil
	}
}

// WithBaseURL overrides the API address of the vendors that have a default:
// Preset (https://api.app.preset.io) and Luzmo (https://api.luzmo.com; use
// https://api.us.luzmo.com or a VPC address where that applies). Superset and
// CalabiIQ take their address as a constructor argument instead.
func WithBaseURL(u string) Option {
	return func(cfg *config) error {
		cfg.baseURL = u
		return nil
	}
}

// WithUserAgent sets the User-Agent header, which helps the BI host's
// operators tell this backend's calls apart in their logs.
func WithUserAgent(ua string) Option {
	return func(cfg *config) error {
		cfg.userAgent = ua
		return nil
	}
}
