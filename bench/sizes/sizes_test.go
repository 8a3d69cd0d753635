package sizes

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestCompressRoundTrips(t *testing.T) {
	data := []byte(strings.Repeat("embedDashboard(params) ", 500))
	c, err := Compress(data)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Sizes()
	if s.Raw != len(data) || s.Gzip >= s.Raw || s.Brotli >= s.Raw {
		t.Fatalf("sizes %+v: compressed variants must be smaller than %d", s, len(data))
	}
	zr, err := gzip.NewReader(bytes.NewReader(c.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, data) {
		t.Error("gzip variant does not decode to the input")
	}
	if got, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(c.Brotli))); !bytes.Equal(got, data) {
		t.Error("brotli variant does not decode to the input")
	}
	if sum := s.Add(s); sum.Raw != 2*s.Raw || sum.Brotli != 2*s.Brotli {
		t.Errorf("Add = %+v", sum)
	}
}
