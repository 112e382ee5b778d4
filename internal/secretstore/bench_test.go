package secretstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openhands-go/sdk/internal/store"
	"github.com/stretchr/testify/require"
)

var benchSizes = []int{10, 10000}

// benchSecrets opens a file store on a fresh directory holding n encrypted
// secrets and warms the cache (first load and first full render happen
// once per process and are not what the benchmarks measure).
func benchSecrets(b *testing.B, n int) (*Secrets, *hookStore, store.Store) {
	b.Helper()
	st := newFileStore(b, b.TempDir())
	writeRaw(b, st, bigFile(b, n, keyA))
	h := &hookStore{Store: st}
	s := New(h, keyA, nil)
	require.NoError(b, s.Put(context.Background(), "WARM", "warm-value-0", nil))
	return s, h, st
}

func reportFile(b *testing.B, st store.Store, h *hookStore, writes0 int, start time.Time) {
	b.ReportMetric(float64(len(readRaw(b, st))), "file_bytes")
	b.ReportMetric(float64(h.writeCount()-writes0)/float64(b.N), "writes/op")
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "puts/s")
}

// BenchmarkPut is one writer replacing one secret (the file keeps its size).
func BenchmarkPut(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("secrets="+strconv.Itoa(n), func(b *testing.B) {
			s, h, st := benchSecrets(b, n)
			ctx := context.Background()
			w0 := h.writeCount()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if err := s.Put(ctx, "WARM", fmt.Sprintf("warm-value-%d", i%10), nil); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportFile(b, st, h, w0, start)
		})
	}
}

// BenchmarkPutParallel16 is 16 concurrent writers, each replacing its own
// secret; compare puts/s with BenchmarkPut at the same size.
func BenchmarkPutParallel16(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("secrets="+strconv.Itoa(n), func(b *testing.B) {
			s, h, st := benchSecrets(b, n)
			ctx := context.Background()
			for g := 0; g < 16; g++ {
				require.NoError(b, s.Put(ctx, fmt.Sprintf("W%02d", g), "warm-value-0", nil))
			}
			w0 := h.writeCount()
			var next atomic.Int32
			b.SetParallelism((16 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				name := fmt.Sprintf("W%02d", next.Add(1)%16)
				for i := 0; pb.Next(); i++ {
					if err := s.Put(ctx, name, fmt.Sprintf("warm-value-%d", i%10), nil); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.StopTimer()
			reportFile(b, st, h, w0, start)
		})
	}
}

// BenchmarkList lists names and descriptions.
func BenchmarkList(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("secrets="+strconv.Itoa(n), func(b *testing.B) {
			s, _, _ := benchSecrets(b, n)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				items, err := s.List(ctx)
				if err != nil || len(items) != n+1 {
					b.Fatal(err, len(items))
				}
			}
		})
	}
}

// BenchmarkGet decrypts one value of a large file.
func BenchmarkGet(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("secrets="+strconv.Itoa(n), func(b *testing.B) {
			s, _, _ := benchSecrets(b, n)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.Get(ctx, "S00003"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBareWriteFsyncRename is the durability floor: the same bytes as
// the secrets.json of that size written to a 0600 temp file, fsync-ed,
// renamed over the target and the directory fsync-ed, nothing else.
func BenchmarkBareWriteFsyncRename(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("secrets="+strconv.Itoa(n), func(b *testing.B) {
			_, _, st := benchSecrets(b, n)
			data := readRaw(b, st)
			dir := b.TempDir()
			target := filepath.Join(dir, "secrets.json")
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tmp := filepath.Join(dir, "secrets.tmp."+strconv.Itoa(i))
				f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.Write(data); err != nil {
					b.Fatal(err)
				}
				if err := f.Sync(); err != nil {
					b.Fatal(err)
				}
				if err := f.Close(); err != nil {
					b.Fatal(err)
				}
				if err := os.Rename(tmp, target); err != nil {
					b.Fatal(err)
				}
				d, err := os.Open(dir)
				if err != nil {
					b.Fatal(err)
				}
				if err := d.Sync(); err != nil {
					b.Fatal(err)
				}
				d.Close()
			}
			b.StopTimer()
			b.ReportMetric(float64(len(data)), "file_bytes")
		})
	}
}
