//go:build linux || openbsd || dragonfly

package store

import "syscall"

func ctimeNanos(st *syscall.Stat_t) int64 { return syscall.TimespecToNsec(st.Ctim) }
