// Package sizes compresses the SDK files the way a production server would
// (gzip at level 9, brotli at quality 11) and reports what each weighs.
package sizes

import (
	"bytes"
	"compress/gzip"

	"github.com/andybalholm/brotli"
)

// Sizes are the byte counts of one file or of a set of files.
type Sizes struct {
	Raw    int `json:"raw"`
	Gzip   int `json:"gzip"`
	Brotli int `json:"brotli"`
}

// Add returns the element-wise sum: an SDK is its JavaScript plus its wasm.
func (s Sizes) Add(o Sizes) Sizes {
	return Sizes{Raw: s.Raw + o.Raw, Gzip: s.Gzip + o.Gzip, Brotli: s.Brotli + o.Brotli}
}

// Compressed is a file with its precompressed variants, ready to serve.
type Compressed struct {
	Raw, Gzip, Brotli []byte
}

// Sizes returns the byte counts of the three variants.
func (c Compressed) Sizes() Sizes {
	return Sizes{Raw: len(c.Raw), Gzip: len(c.Gzip), Brotli: len(c.Brotli)}
}

// Compress makes the gzip and brotli variants of data at the best settings:
// static assets are compressed once, so build time does not matter and the
// numbers should be the smallest a careful deployment would ship.
func Compress(data []byte) (Compressed, error) {
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return Compressed{}, err
	}
	if _, err := zw.Write(data); err != nil {
		return Compressed{}, err
	}
	if err := zw.Close(); err != nil {
		return Compressed{}, err
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	if _, err := bw.Write(data); err != nil {
		return Compressed{}, err
	}
	if err := bw.Close(); err != nil {
		return Compressed{}, err
	}
	return Compressed{Raw: data, Gzip: gz.Bytes(), Brotli: br.Bytes()}, nil
}
